import { z } from "zod";
import { Capability, CaseId, CustomerId, FactEnvelope, FactId, Instant, KindName, WorkId } from "./contract-envelope.ts";
import { Channel } from "./contract-kinds.ts";

/**
 * The shapes the projection keeps in level. They are parsed by zod whenever
 * they are read from the folder: the folder is an input like any other. (A
 * value this process committed itself is kept parsed; see ProjectionStore.)
 */

export const CaseStatus = z.enum(["open", "escalated", "resolved"]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** One case, as of `lastSeq`. */
export const CaseState = z.strictObject({
  caseId: CaseId,
  customerId: CustomerId.nullable(),
  status: CaseStatus,
  tier: z.enum(["standard", "priority", "vip"]),
  /** Channels the customer used, in order of first use. */
  channels: z.array(Channel),
  /** The channel of the latest customer message: where replies go. */
  currentChannel: Channel.nullable(),
  openedAt: Instant.nullable(),
  updatedAt: Instant,
  /** Sequence of the last fact projected into this case: the case version. */
  lastSeq: z.number().int().min(0),
  factCount: z.number().int().min(0),
  intent: z.string().nullable(),
  identityVerified: z.boolean(),
  /** The account `identity.verified` named on this case: the only account whose data the case may hold. */
  verifiedAccountId: z.string().nullable().default(null),
  openNeeds: z.array(WorkId),
  /** The fact kinds the case holds, sorted: what a need's `requires` is checked against. */
  kinds: z.array(KindName),
});
export type CaseState = z.infer<typeof CaseState>;

/** A fact with the stream sequence it was stored at. */
export const StoredFact = z.strictObject({
  seq: z.number().int().positive(),
  fact: FactEnvelope,
});
export type StoredFact = z.infer<typeof StoredFact>;

/** What casemesh remembers about a customer across cases. */
export const CustomerMemory = z.strictObject({
  customerId: CustomerId,
  cases: z.array(z.strictObject({ caseId: CaseId, status: CaseStatus, openedAt: Instant.nullable() })),
  preferences: z.record(z.string(), z.string()),
  verified: z
    .strictObject({
      method: z.string(),
      accountId: z.string().nullable(),
      at: Instant,
      caseId: CaseId,
    })
    .nullable(),
  addresses: z.array(z.strictObject({ channel: Channel, address: z.string(), verified: z.boolean() })),
  /**
   * A case of this customer waits for a secret answer (a one-time code of
   * `digits` digits): the gateway seals such an answer before the message
   * reaches the log. Set by `identity.challenged`, cleared by
   * `identity.verified` on that case (a code typed after a lock is sealed too).
   */
  awaitingSecret: z.strictObject({ caseId: CaseId, challengeId: WorkId, digits: z.number().int() }).nullable().default(null),
  /** Who last served this customer, by capability: the continuity part of a bid. */
  handlers: z.record(z.string(), z.string()),
  updatedAt: Instant,
});
export type CustomerMemory = z.infer<typeof CustomerMemory>;

/** Address index entry. */
export const AddressEntry = z.strictObject({ customerId: CustomerId, verified: z.boolean() });

/** Where a customer message with a given client message id landed (the first one wins). */
export const ClientMessageEntry = z.strictObject({
  caseId: CaseId,
  customerId: CustomerId.nullable(),
  seq: z.number().int().positive(),
  factId: FactId,
});
export type ClientMessageEntry = z.infer<typeof ClientMessageEntry>;

/** A need that is neither done nor failed. */
export const OpenNeed = z.strictObject({
  needId: WorkId,
  caseId: CaseId,
  capability: Capability,
  seq: z.number().int().positive(),
  requires: z.array(KindName),
  attempt: z.number().int().min(1),
  fallback: Capability.nullable(),
  claimedBy: z.string().nullable(),
  openedAt: Instant,
});
export type OpenNeed = z.infer<typeof OpenNeed>;

/** A timer that has been set and has not fired. */
export const PendingTimer = z.strictObject({
  timerId: WorkId,
  caseId: CaseId,
  dueAt: Instant,
  purpose: z.string(),
  action: z.strictObject({ capability: Capability, input: z.record(z.string(), z.json()) }),
  cancelIf: z.array(KindName),
  setSeq: z.number().int().positive(),
});
export type PendingTimer = z.infer<typeof PendingTimer>;

/** Why a log message was dead-lettered. Bounded: it is a metric label. */
export const DeadLetterReason = z.enum(["not_json", "unknown_kind", "contract", "subject_mismatch", "unverified_account"]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/** A log message that broke its contract; never projected. */
export const DeadLetter = z.strictObject({
  seq: z.number().int().positive(),
  subject: z.string(),
  reason: DeadLetterReason,
  detail: z.string(),
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  /** When the log stored the message. */
  storedAt: Instant,
  /** The first 2 KiB of the payload, as text. */
  payloadPreview: z.string(),
  payloadBytes: z.number().int().min(0),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

/** An optimistic append that lost: it is in the log, never projected. */
export const Conflict = z.strictObject({
  seq: z.number().int().positive(),
  caseId: CaseId,
  factId: FactId,
  expectedSeq: z.number().int().min(0),
  actualSeq: z.number().int().min(0),
});
export type Conflict = z.infer<typeof Conflict>;
