/**
 * Level key layout. One database, string keys, prefixes by projection; every
 * id that appears in a key is restricted by its contract to [A-Za-z0-9_:.-],
 * so `!` is a safe separator. Sequences are zero-padded to sort numerically.
 */
const pad = (n: number) => String(n).padStart(16, "0");

export const keys = {
  lastSeq: "m!lastSeq",
  statusCount: (status: string) => `m!cases!${status}`,
  caseState: (caseId: string) => `c!${caseId}!s`,
  caseFact: (caseId: string, seq: number) => `c!${caseId}!f!${pad(seq)}`,
  caseFactsRange: (caseId: string) => ({ gt: `c!${caseId}!f!`, lt: `c!${caseId}!f!~` }),
  caseRange: (caseId: string) => ({ gte: `c!${caseId}!`, lt: `c!${caseId}!~` }),
  customer: (customerId: string) => `u!${customerId}`,
  address: (channel: string, address: string) => `a!${channel}!${address}`,
  /** A channel's own id of a customer message: what makes a retried Send idempotent. */
  clientMessage: (channel: string, clientMessageId: string) => `mi!${channel}!${clientMessageId}`,
  statusIndex: (status: string, caseId: string) => `s!${status}!${caseId}`,
  statusRange: (status: string) => ({ gt: `s!${status}!`, lt: `s!${status}!~` }),
  need: (needId: string) => `n!${needId}`,
  needRange: { gt: "n!", lt: "n!~" },
  timer: (dueAt: string, timerId: string) => `t!${dueAt}!${timerId}`,
  timerRange: { gt: "t!", lt: "t!~" },
  timerById: (timerId: string) => `ti!${timerId}`,
  deadLetter: (seq: number) => `d!${pad(seq)}`,
  deadLetterRange: { gt: "d!", lt: "d!~" },
  conflict: (seq: number) => `x!${pad(seq)}`,
} as const;

/**
 * Addresses are compared in a normal form: email lower-cased, phone numbers
 * stripped of spaces, dashes, dots and brackets, everything trimmed.
 */
export function normalizeAddress(channel: string, address: string): string {
  const trimmed = address.trim();
  if (channel === "email") return trimmed.toLowerCase();
  if (channel === "voice") return trimmed.replace(/[\s().-]/g, "");
  return trimmed;
}
