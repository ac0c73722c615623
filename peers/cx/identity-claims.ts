/**
 * What a case's facts say about identity, read the same way by every copy of
 * the identity peer and by the peers that must not act before it: the
 * account numbers given, the claim being checked, the open challenge and the
 * answers to it. Pure functions of the facts (and the account data), so a
 * restarted or second copy of the peer reads the same.
 */
import { z } from "zod";
import { type FactData, type StoredFact } from "../../blackboard/index.ts";
import { ConfigError } from "../../core/index.ts";
import { accountOfCustomer, type Account, type AccountData } from "./account-data.ts";
import { factsOf, latestOf } from "./case-facts.ts";
import type { ContextHierarchy } from "./context/index.ts";

/** The capability this peer serves. */
export const IDENTITY_VERIFY = "identity.verify";
/** Where an identity step that cannot finish goes: a person (the organisation's `identity-failed` rule). */
export const IDENTITY_FALLBACK = "human.identity";
/** The `about` of the reply need that asks the customer for their account number. */
export const ASK_ACCOUNT_NUMBER = "identity.ask";
/** What an ask asks for: the account number, the only thing this peer ever asks. */
export const AccountNumberAsk = z.literal("account_number");
/** The `about` of the reply that tells the customer a person will help them prove who they are. */
export const IDENTITY_HANDOFF_REPLY = "identity.handoff";
/** The id of the organisation's escalation rule this peer enforces (`peers/cx/context/organisation.json`). */
export const IDENTITY_FAILED_RULE = "identity-failed";

/** An account number as customers write it: `acc-1001`, `ACC 1001`. */
const ACCOUNT_NUMBER = /\bacc[- ]?(\d{3,12})\b/gi;

/** What `identity.verified` says. */
export type Verification = FactData<"identity.verified">;

type Priority = FactData<"escalation.requested">["priority"];

/** The account numbers one message gives, as `acc-<digits>`, without repeats. */
function accountNumbersOf(text: string): string[] {
  return [...new Set([...text.matchAll(ACCOUNT_NUMBER)].map((hit) => `acc-${hit[1] ?? ""}`))];
}

/** Every account number the customer wrote on the case, oldest first, as `acc-<digits>`, without repeats. */
export function accountNumbersIn(facts: readonly StoredFact[]): string[] {
  return [...new Set(factsOf(facts, "message.received").flatMap((m) => accountNumbersOf(m.data.text)))];
}

/** An account number as logs, hand-offs and people other than the customer may see it: `acc-**99`. */
export function maskAccountNumber(id: string): string {
  const digits = id.replace(/^acc-/, "");
  return `acc-${"*".repeat(Math.max(digits.length - 2, 1))}${digits.slice(-2)}`;
}

/** The `identity-failed` rule as this peer applies it. */
export interface IdentityFailedRule {
  /** Failed attempts after which the customer is handed to a person. */
  attempts: number;
  /** Who takes the case: the rule's capability, `human.identity` in the shipped context. */
  capability: string;
  priority: Priority;
}

const COUNTS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/**
 * Reads the `identity-failed` rule from the organisation's escalation rules:
 * its capability, its priority, and the attempt limit its text states ("…
 * after two attempts."), so the limit the model is told and the limit this
 * peer enforces are one sentence. @throws ConfigError when the rule is
 * missing or states no limit.
 */
export function identityFailedRule(context: ContextHierarchy): IdentityFailedRule {
  const rule = context.organisation.escalation.find((e) => e.id === IDENTITY_FAILED_RULE);
  const where = `${context.dir}/organisation.json escalation rule "${IDENTITY_FAILED_RULE}"`;
  if (rule === undefined) throw new ConfigError(`${where} is missing; the identity peer needs it to know when to hand a customer to a person`);
  const said = /\bafter (\w+) (?:failed )?attempts?\b/i.exec(rule.when)?.[1]?.toLowerCase();
  const attempts = said === undefined ? undefined : (COUNTS[said] ?? (/^\d{1,2}$/.test(said) ? Number(said) : undefined));
  if (attempts === undefined || attempts < 1) throw new ConfigError(`${where} must state its limit as "after <n> attempts", e.g. "Identity cannot be verified after two attempts."; it says "${rule.when}"`);
  return { attempts, capability: rule.capability, priority: rule.priority };
}

/** One message whose account numbers the account system does not hold. */
export interface FailedAttempt {
  messageFactId: string;
  /** The numbers it gave, masked. */
  given: string[];
}

/** What the account numbers on a case came to, read message by message from its facts. */
export interface AccountNumberAttempts {
  /** The failed attempts up to the limit, oldest first. */
  failed: FailedAttempt[];
  /** The latest account number given before the limit that the account system holds. */
  accepted?: string;
  /** True once `failed` reached the limit: account numbers given after it are not tried. */
  exhausted: boolean;
}

/**
 * Walks the customer's messages in order: a message that gives account
 * numbers is an attempt, failed when the account system holds none of them.
 * Counted from the facts alone, so a restarted or second copy of the peer
 * counts the same; a message without an account number is not an attempt.
 */
export function accountNumberAttempts(data: AccountData, facts: readonly StoredFact[], limit: number): AccountNumberAttempts {
  const out: AccountNumberAttempts = { failed: [], exhausted: false };
  for (const m of factsOf(facts, "message.received")) {
    const given = accountNumbersOf(m.data.text);
    if (given.length === 0) continue;
    const held = given.findLast((id) => data.accounts.some((a) => a.accountId === id));
    if (held !== undefined) {
      out.accepted = held;
      continue;
    }
    out.failed.push({ messageFactId: m.id, given: given.map(maskAccountNumber) });
    if (out.failed.length >= limit) return { ...out, exhausted: true };
  }
  return out;
}

/** True when identity on the case was handed to `capability` (a person): its escalation or its need is on the case. */
export function identityHandedOff(facts: readonly StoredFact[], capability: string = IDENTITY_FALLBACK): boolean {
  return (
    factsOf(facts, "escalation.requested").some((f) => f.data.capability === capability) ||
    factsOf(facts, "need.opened").some((f) => f.data.capability === capability)
  );
}

/**
 * The account the case is verified for: the one `identity.verified` on the
 * case names. Nothing else counts: an account number a customer typed, an
 * address that looks like an account's, a claim being checked all name an
 * account without proving it, and nothing is read from them (not even a name
 * to greet by).
 */
export function knownAccount(data: AccountData, facts: readonly StoredFact[]): Account | undefined {
  const id = latestOf(facts, "identity.verified")?.accountId;
  return id == null ? undefined : data.accounts.find((a) => a.accountId === id);
}

/** A challenge on the case: the `identity.challenged` fact and where it is in the log. */
export interface Challenge {
  seq: number;
  data: FactData<"identity.challenged">;
}

/**
 * The challenge the case is waiting on: the latest `identity.challenged`
 * that no later verification, lock or expiry closed. Undefined when none is open.
 */
export function openChallenge(facts: readonly StoredFact[]): Challenge | undefined {
  const latest = factsOf(facts, "identity.challenged").at(-1);
  if (latest === undefined) return undefined;
  const closed =
    facts.some((f) => f.seq > latest.seq && (f.fact.kind === "identity.verified" || f.fact.kind === "identity.locked")) ||
    factsOf(facts, "identity.attempted").some((a) => a.seq > latest.seq && a.data.challengeId === latest.data.challengeId && a.data.outcome === "expired");
  return closed ? undefined : { seq: latest.seq, data: latest.data };
}

/** Wrong codes given for `challengeId`, one per message. */
export function wrongCodes(facts: readonly StoredFact[], challengeId: string): Set<string> {
  return new Set(
    factsOf(facts, "identity.attempted")
      .filter((a) => a.data.challengeId === challengeId && a.data.outcome === "wrong_code" && a.data.messageFactId !== null)
      .map((a) => a.data.messageFactId ?? ""),
  );
}

/** Customer messages after `seq` that no attempt on the case has taken yet, oldest first. */
export function messagesToTry(facts: readonly StoredFact[], afterSeq: number): { seq: number; id: string; data: FactData<"message.received"> }[] {
  const tried = new Set(factsOf(facts, "identity.attempted").map((a) => a.data.messageFactId));
  return factsOf(facts, "message.received").filter((m) => m.seq > afterSeq && !tried.has(m.id));
}

/** What the customer on a case claims to be, and why the peer thinks so. */
export interface Claim {
  account: Account;
  /** `challenge`: a code is out for it; `account_number`: the customer gave its number; `registered_contact`: they wrote from one of its contacts. */
  basis: "challenge" | "account_number" | "registered_contact";
}

/**
 * The account the customer on the case claims: the one an open challenge is
 * for; else the latest account number given (before the limit) that the
 * account system holds; else the account whose registered contact the case
 * came in on (the case belongs to that account's customer). Undefined when
 * nothing names one. A claim is never proof.
 */
export function claimedAccount(data: AccountData, facts: readonly StoredFact[], caseCustomerId: string | null, attempts: AccountNumberAttempts): Claim | undefined {
  const challenge = openChallenge(facts);
  const byId = (id: string) => data.accounts.find((a) => a.accountId === id);
  const challenged = challenge === undefined ? undefined : byId(challenge.data.accountId);
  if (challenged !== undefined) return { account: challenged, basis: "challenge" };
  const numbered = attempts.accepted === undefined ? undefined : byId(attempts.accepted);
  if (numbered !== undefined) return { account: numbered, basis: "account_number" };
  const owner = accountOfCustomer(data, caseCustomerId);
  return owner === undefined ? undefined : { account: owner, basis: "registered_contact" };
}
