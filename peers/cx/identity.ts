/**
 * The identity peer: serves `identity.verify`. It verifies the customer from
 * what the case and the customer's memory already hold (a verified channel
 * address, an address the account system knows, an account number the
 * customer gave earlier, a verification on an earlier case) and writes
 * `identity.verified`. Only when none of that is there does it ask, for
 * exactly the missing thing (the account number), through a `reply` need;
 * the needs that depend on identity wait for `identity.verified`. Asking for
 * something the case already held is counted in `casemesh_reasks_total`.
 *
 * The organisation's `identity-failed` escalation rule ("Identity cannot be
 * verified after two attempts.") sets how many failed attempts a customer
 * has: messages whose account numbers the account system does not hold. The
 * count is read from the case's messages, never kept in memory, so it
 * survives restarts and is the same in every copy of the peer.
 * At the limit the step stops asking and hands the case to a person:
 * `escalation.requested`, one `human.identity` need saying (redacted) what
 * was tried and what waits, and one reply telling the customer a colleague
 * will help. Account numbers given after the limit are not tried: guessing
 * is over, and only a person (or a verified address) verifies the customer;
 * the waiting needs stay open until `identity.verified` arrives.
 * Run it on its own with `NATS_URL=… node --import tsx peers/cx/identity.ts`.
 */
import { z } from "zod";
import { FACT_KINDS, type Channel, type StoredFact } from "../../blackboard/index.ts";
import { ConfigError } from "../../core/errors.ts";
import { capability, definePeer, runPeers, type PeerDefinition, type PeerHost, type StepContext, type StepResult } from "../index.ts";
import { accountByAddress, loadAccountData, type Account, type AccountData } from "./account-data.ts";
import { factsOf, latestOf } from "./case-facts.ts";
import { loadContextHierarchy, type ContextHierarchy } from "./context/index.ts";
import { countReask, exposeReasks } from "./reasks.ts";
import { isMain } from "../../core/is-main.ts";

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

/** The input of an `identity.verify` need: nothing; everything is read from the case and the customer's memory. */
export const IdentityVerifyInput = z.object({});
export type IdentityVerifyInput = z.infer<typeof IdentityVerifyInput>;

/** What `identity.verified` says. */
export type Verification = z.infer<(typeof FACT_KINDS)["identity.verified"]["data"]>;

type Customer = StepContext["customer"];
type Priority = z.infer<(typeof FACT_KINDS)["escalation.requested"]["data"]>["priority"];

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
 * The account the case belongs to, as far as anything known says: the one
 * identity named, then a verified or written-from address the account system
 * knows, then the customer's remembered verification and addresses, then an
 * account number the customer gave, unless identity was handed to a person
 * (then a number given is a guess, and nothing is read from it, not even a
 * name to greet by). Undefined when nothing points at one.
 */
export function knownAccount(data: AccountData, facts: readonly StoredFact[], customer: Customer): Account | undefined {
  const byId = (id: string | null | undefined) => (id == null ? undefined : data.accounts.find((a) => a.accountId === id));
  const verified = byId(latestOf(facts, "identity.verified")?.accountId);
  if (verified !== undefined) return verified;
  for (const { channel, address } of addressesOf(facts, customer)) {
    const account = accountByAddress(data, channel, address);
    if (account !== undefined) return account;
  }
  const remembered = byId(customer?.verified?.accountId);
  if (remembered !== undefined || identityHandedOff(facts)) return remembered;
  return accountNumbersIn(facts).map(byId).findLast((a) => a !== undefined);
}

/** Addresses on the case and in memory, verified links first, then addresses the customer wrote from (latest first). */
function addressesOf(facts: readonly StoredFact[], customer: Customer): { channel: Channel; address: string }[] {
  return [
    ...factsOf(facts, "customer.linked").filter((f) => f.data.verified).map((f) => f.data),
    ...(customer?.addresses ?? []).filter((a) => a.verified),
    ...factsOf(facts, "message.received").map((f) => f.data).reverse(),
  ];
}

const Method = FACT_KINDS["identity.verified"].data.shape.method;

/**
 * Verifies the customer from what is already known, strongest first: a
 * verification already on the case; a verified linked address; a
 * verification on an earlier case (customer memory); an address the account
 * system knows (the customer wrote from their own address); an account number
 * the customer gave before `attempts` (see {@link accountNumberAttempts})
 * that the account system holds. Undefined when the customer must be asked.
 */
export function verifyFromKnown(
  data: AccountData,
  facts: readonly StoredFact[],
  customer: Customer,
  customerId: string,
  attempts: AccountNumberAttempts = accountNumberAttempts(data, facts, Number.POSITIVE_INFINITY),
): Verification | undefined {
  const onCase = latestOf(facts, "identity.verified");
  if (onCase !== undefined) return onCase;
  const linked = factsOf(facts, "customer.linked").filter((f) => f.data.verified).at(-1)?.data;
  if (linked !== undefined) {
    return { customerId, method: "channel_address", accountId: accountByAddress(data, linked.channel, linked.address)?.accountId ?? null };
  }
  const remembered = customer?.verified;
  if (remembered != null) {
    const method = Method.safeParse(remembered.method);
    return { customerId, method: method.success ? method.data : "channel_address", accountId: remembered.accountId };
  }
  for (const { channel, address } of addressesOf(facts, customer)) {
    const account = accountByAddress(data, channel, address);
    if (account !== undefined) return { customerId, method: "channel_address", accountId: account.accountId };
  }
  if (attempts.accepted !== undefined) return { customerId, method: "account_number", accountId: attempts.accepted };
  return undefined;
}

/**
 * The input of the need that hands identity to a person: why, what was tried
 * (account numbers masked), and the needs that continue once
 * `identity.verified` is on the case. The desk keeps fields it does not know.
 */
export const IdentityHandoffInput = z.strictObject({
  /** Why a person: the first line of the desk's summary. */
  reason: z.string().min(1).max(2_000),
  /** The organisation's escalation rule that sent the case. */
  rule: z.literal(IDENTITY_FAILED_RULE),
  /** The failed attempts, oldest first. */
  attempts: z.array(z.strictObject({ messageFactId: z.string().min(1), method: z.literal("account_number"), given: z.array(z.string().regex(/^acc-\*+\d{1,2}$/)).min(1) })).min(1),
  /** Needs open on the case that wait for facts (identity first), so the person knows what resumes. */
  waiting: z.array(z.strictObject({ needId: z.string().min(1), capability: z.string().min(1), requires: z.array(z.string()) })),
});
export type IdentityHandoffInput = z.infer<typeof IdentityHandoffInput>;

/** What the customer is told when the case goes to a person for identity. */
export const HANDOFF_TELL = "I could not match the account numbers you gave to an account, so a colleague will help you confirm who you are. There is no need to send it again.";

/** What the identity peer is made of. */
export interface IdentityPeerOptions {
  /** @default process.env.PEER_ID ?? "identity-1" */
  id?: string;
  /** @default loadAccountData() (the shipped sample data) */
  data?: AccountData;
  /** Where the `identity-failed` rule is read. @default loadContextHierarchy() (the shipped context) */
  context?: ContextHierarchy;
}

/** Builds the identity peer over `options.data`. @throws ConfigError when the context has no readable `identity-failed` rule. */
export function identityPeer(options: IdentityPeerOptions = {}): PeerDefinition {
  const data = options.data ?? loadAccountData();
  const rule = identityFailedRule(options.context ?? loadContextHierarchy());
  return definePeer({
    id: options.id ?? process.env["PEER_ID"] ?? "identity-1",
    version: "1.0.0",
    capacity: 32,
    capabilities: [
      capability({
        name: IDENTITY_VERIFY,
        input: IdentityVerifyInput,
        fit: 1,
        fallback: IDENTITY_FALLBACK,
        async handler(_input, ctx) {
          exposeReasks(ctx.metrics, IDENTITY_VERIFY);
          const facts = ctx.case.facts;
          if (latestOf(facts, "identity.verified") !== undefined) {
            ctx.log.info("identity already verified on the case; nothing to do");
            return {};
          }
          const customerId = ctx.case.state.customerId ?? ctx.customer?.customerId;
          if (customerId == null) throw new Error(`case ${ctx.need.caseId} has no customer to verify`);
          const attempts = accountNumberAttempts(data, facts, rule.attempts);
          const verified = verifyFromKnown(data, facts, ctx.customer, customerId, attempts);
          if (verified !== undefined) {
            const accountId = verified.accountId === null ? null : maskAccountNumber(verified.accountId);
            ctx.log.info({ method: verified.method, accountId, failedAttempts: attempts.failed.length }, "identity verified from what the case holds");
            return { facts: [{ kind: "identity.verified", data: verified }] };
          }
          if (attempts.exhausted) {
            if (identityHandedOff(facts, rule.capability)) {
              // A later message re-opened identity.verify: the person has the case; its intent step tells the customer so.
              ctx.log.info({ failedAttempts: attempts.failed.length, to: rule.capability }, "identity is with a person already; not asking again");
              return {};
            }
            return handOff(attempts.failed, ctx);
          }
          // Nothing known: ask for exactly the account number. Asking is a
          // re-ask only when a valid number was there all along (a bug here).
          // After a failed attempt it is not: the case holds no number that verifies.
          const held = accountNumbersIn(facts).filter((id) => data.accounts.some((a) => a.accountId === id));
          if (held.length > 0) {
            countReask(ctx.metrics, IDENTITY_VERIFY);
            ctx.log.warn({ held: held.map(maskAccountNumber) }, "asking for an account number the case already holds");
          }
          const unknown = accountNumbersIn(facts).at(-1);
          const tell =
            unknown === undefined
              ? "To look into this I need your account number; it starts with acc-, like acc-1234. Please send it here."
              : `I could not find account ${unknown}. Please check your account number (it starts with acc-) and send it here.`;
          ctx.log.info(
            { unknownGiven: unknown === undefined ? null : maskAccountNumber(unknown), failedAttempts: attempts.failed.length, limit: rule.attempts },
            "nothing verifies the customer; asking for the account number",
          );
          return { needs: [{ capability: "reply", input: { about: ASK_ACCOUNT_NUMBER, ask: "account_number", tell } }] };
        },
      }),
    ],
  });

  /**
   * The `identity-failed` handoff: the escalation, one need for a person with
   * what was tried and what waits, and one reply telling the customer. The
   * needs waiting for `identity.verified` stay open: a verification by the
   * person lets them continue.
   */
  function handOff(failed: FailedAttempt[], ctx: StepContext): StepResult {
    const open = new Set(ctx.case.state.openNeeds);
    const waiting = factsOf(ctx.case.facts, "need.opened")
      .map((n) => n.data)
      .filter((n) => open.has(n.needId) && n.needId !== ctx.need.needId && n.requires.length > 0)
      .map(({ needId, capability, requires }) => ({ needId, capability, requires }));
    const tried = failed.flatMap((f) => f.given).join(", ");
    const resumes = waiting.length === 0 ? "" : ` Once identity.verified is on the case, the waiting ${waiting.map((w) => w.capability).join(", ")} continue.`;
    const reason = `Identity could not be verified after ${failed.length} attempts (rule ${IDENTITY_FAILED_RULE}): the account system holds none of the account numbers given (${tried}).${resumes}`;
    const input = IdentityHandoffInput.parse({
      reason,
      rule: IDENTITY_FAILED_RULE,
      attempts: failed.map((f) => ({ messageFactId: f.messageFactId, method: "account_number", given: f.given })),
      waiting,
    });
    ctx.log.info({ failedAttempts: failed.length, to: rule.capability, waiting: waiting.map((w) => w.capability) }, "identity failed too often; handing to a person");
    return {
      facts: [{ kind: "escalation.requested", data: { capability: rule.capability, reason, priority: rule.priority } }],
      needs: [
        { capability: rule.capability, input },
        { capability: "reply", input: { about: IDENTITY_HANDOFF_REPLY, tell: HANDOFF_TELL } },
      ],
    };
  }
}

/** Runs the identity peer as this process's job over the shipped sample data and context; exits 2 when either is broken (or the context has no readable `identity-failed` rule). */
export async function runIdentityPeer(): Promise<PeerHost> {
  let peer: PeerDefinition;
  try {
    peer = identityPeer();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  return runPeers([peer], { role: "identity" });
}

if (isMain(import.meta.url)) await runIdentityPeer();
