/**
 * The identity peer: serves `identity.verify`. Knowing an account number is a
 * claim, never proof. The peer proves a claim with a second factor the mesh
 * can check, configured per organisation (`identity` in
 * `peers/cx/context/organisation.json`): a one-time code sent to a contact
 * registered on the claimed account (never to the claimant's address), which
 * the customer types back within its time and its number of tries.
 *
 * - Verified on the case already: nothing to do.
 * - The customer was verified on an earlier case and writes from an address
 *   they proved then: verified again from that (`channel_address`).
 * - A claim (an open challenge, an account number the account system holds,
 *   or a message from one of an account's registered contacts): the code
 *   goes out sealed (`[sealed:<challenge>]` in the log, the code itself only
 *   in the sealed store, delivered by the channel's Outbox); the gateway
 *   seals the customer's answer before it reaches the log; a right answer
 *   writes `identity.verified` for the account's customer, to which the case
 *   moves, and links the address it came from to that customer. Wrong codes
 *   count per case and per account (`IdentityGuard`); at the case's limit, or
 *   the account's, the account is locked for a while (`identity.locked`) and
 *   the case goes to `human.identity`, once.
 * - No claim: ask for the account number. Numbers the account system does not
 *   hold are failed attempts; the organisation's `identity-failed` rule
 *   ("… after two attempts.") hands the case to a person at its limit.
 *
 * Every attempt is an `identity.attempted` fact with where it came from and
 * what came of it, counted in `casemesh_identity_*`. Codes and answers never
 * appear in a fact, a log line or a prompt. Everything is read from the
 * case's facts, so restarts and copies of the peer agree.
 * Run it on its own with `NATS_URL=… node --import tsx peers/cx/identity.ts`.
 */
import { createHash, randomInt } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { answerMatches, ContactDirectory, normalizeAddress, sealedReplyText, SealedStore, type StoredFact } from "../../blackboard/index.ts";
import { isMain } from "../../core/index.ts";
import { capability, definePeer, type FollowUp, type PeerDefinition, type PeerHost, loadPeerId, runPeers, type StepContext, type StepFact, type StepResult } from "../index.ts";
import { accountByAddress, accountCustomerId, loadAccountData, publishRegisteredContacts, type Account, type AccountData } from "./account-data.ts";
import { factsOf, latestOf } from "./case-facts.ts";
import { type ContextHierarchy, loadContextHierarchy } from "./context/index.ts";
import { IdentityGuard, type LockoutPolicy } from "./identity-guard.ts";
import {
  IDENTITY_FAILED_RULE,
  IDENTITY_FALLBACK,
  accountNumberAttempts,
  accountNumbersIn,
  claimedAccount,
  identityFailedRule,
  identityHandedOff,
  maskAccountNumber,
  messagesToTry,
  openChallenge,
  wrongCodes,
  type Challenge,
  type Claim,
  type FailedAttempt,
  type IdentityFailedRule,
} from "./identity-claims.ts";
import { identityMetrics, type IdentityMetrics } from "./identity-metrics.ts";
import { countReask, exposeReasks } from "./reasks.ts";

export * from "./identity-claims.ts";

/** The capability this peer serves. */
export const IDENTITY_VERIFY = "identity.verify";
/** The `about` of the reply that tells the customer a code is on its way (or a reminder, or a wrong code). */
export const IDENTITY_CHALLENGE_REPLY = "identity.challenge";
/** The purpose of the sealed message that carries a code. */
export const CODE_PURPOSE = "identity.code";
/** The rule id a lockout hands a case to a person under (beside the organisation's `identity-failed`). */
export const IDENTITY_LOCKED_RULE = "identity-locked";

/** The input of an `identity.verify` need: nothing; everything is read from the case and the customer's memory. */
export const IdentityVerifyInput = z.object({});
export type IdentityVerifyInput = z.infer<typeof IdentityVerifyInput>;

/** The organisation's second factor, as this peer applies it (times in ms). */
export interface IdentityPolicy {
  otp: { channels: ("email" | "voice")[]; digits: number; ttlMs: number; maxTries: number };
  lockout: LockoutPolicy;
}

/** Reads the identity policy from the organisation context. */
export function identityPolicy(context: ContextHierarchy): IdentityPolicy {
  const { otp, lockout } = context.organisation.identity;
  return {
    otp: { channels: otp.channels, digits: otp.digits, ttlMs: otp.ttlMinutes * 60_000, maxTries: otp.maxTries },
    lockout: { failures: lockout.failures, windowMs: lockout.windowMinutes * 60_000, lockMs: lockout.lockMinutes * 60_000 },
  };
}

/**
 * The input of the need that hands identity to a person: why, what was tried
 * (account numbers masked; codes never), and the needs that continue once
 * `identity.verified` is on the case. The desk keeps fields it does not know.
 */
export const IdentityHandoffInput = z.strictObject({
  /** Why a person: the first line of the desk's summary. */
  reason: z.string().min(1).max(2_000),
  /** The rule that sent the case: the organisation's `identity-failed`, or a lockout. */
  rule: z.enum([IDENTITY_FAILED_RULE, IDENTITY_LOCKED_RULE]),
  /** The account claimed, when there was a claim. */
  accountId: z.string().min(1).max(64).nullable(),
  /** The failed attempts, oldest first. */
  attempts: z.array(z.strictObject({ messageFactId: z.string().min(1), method: z.enum(["account_number", "otp"]), given: z.array(z.string().regex(/^acc-\*+\d{1,2}$/)) })),
  /** Needs open on the case that wait for facts (identity first), so the person knows what resumes. */
  waiting: z.array(z.strictObject({ needId: z.string().min(1), capability: z.string().min(1), requires: z.array(z.string()) })),
});
export type IdentityHandoffInput = z.infer<typeof IdentityHandoffInput>;

/** What the customer is told when unknown account numbers send the case to a person. */
export const HANDOFF_TELL = "I could not match the account numbers you gave to an account, so a colleague will help you confirm who you are. There is no need to send it again.";
/** What the customer is told when wrong codes (or a locked account) send the case to a person. */
export const LOCKED_TELL = "I could not confirm the code, so for your security a colleague will help you confirm who you are. There is no need to send a code again.";

/** What the identity peer is made of. */
export interface IdentityPeerOptions {
  /** @default DEFAULT_IDENTITY_PEER_ID (the process passes PEER_ID) */
  id?: string;
  /** @default loadAccountData() (the shipped sample data) */
  data?: AccountData;
  /** Where the `identity-failed` rule and the identity policy are read. @default loadContextHierarchy() (the shipped context) */
  context?: ContextHierarchy;
  /** Where codes go out and answers come in. */
  sealed: SealedStore;
  /** Failed attempts and locks per account. */
  guard: IdentityGuard;
}

/** Opens what the identity peer keeps outside the log: the sealed store and the per-account guard (with the policy of `context`). */
export async function openIdentityStores(
  nc: NatsConnection,
  context: ContextHierarchy = loadContextHierarchy(),
  options: { replicas?: number } = {},
): Promise<{ sealed: SealedStore; guard: IdentityGuard }> {
  return { sealed: await SealedStore.open(nc, options), guard: await IdentityGuard.open(nc, identityPolicy(context).lockout, options) };
}

/** The id of the challenge a step issues: derived from its need, so a re-run issues the same one. */
export function challengeIdFor(needId: string): string {
  return `otp-${createHash("sha256").update(needId, "utf8").digest("hex").slice(0, 24)}`;
}

type Metrics = IdentityMetrics;

/** Builds the identity peer. @throws ConfigError when the context has no readable `identity-failed` rule. */
export function identityPeer(options: IdentityPeerOptions): PeerDefinition {
  const data = options.data ?? loadAccountData();
  const context = options.context ?? loadContextHierarchy();
  const rule = identityFailedRule(context);
  const policy = identityPolicy(context);
  const { sealed, guard } = options;
  const organisation = context.organisation.name;

  return definePeer({
    id: options.id ?? DEFAULT_IDENTITY_PEER_ID,
    version: "2.0.0",
    capacity: 32,
    capabilities: [
      capability({
        name: IDENTITY_VERIFY,
        input: IdentityVerifyInput,
        fit: 1,
        fallback: IDENTITY_FALLBACK,
        async handler(_input, ctx) {
          exposeReasks(ctx.metrics, IDENTITY_VERIFY);
          const metrics = identityMetrics(ctx.metrics);
          const facts = ctx.case.facts;
          if (latestOf(facts, "identity.verified") !== undefined) {
            ctx.log.info("identity already verified on the case; nothing to do");
            return {};
          }
          const caseCustomer = ctx.case.state.customerId ?? ctx.customer?.customerId ?? null;
          if (caseCustomer === null) throw new Error(`case ${ctx.need.caseId} has no customer to verify`);
          if (identityHandedOff(facts, rule.capability)) {
            // A later message re-opened identity.verify: a person has it; the intent step tells the customer so.
            ctx.log.info({ to: rule.capability }, "identity is with a person already; not asking again");
            return {};
          }
          const remembered = rememberedVerification(ctx);
          if (remembered !== undefined) {
            metrics.attempts.inc({ method: "channel_address", outcome: "verified" });
            ctx.log.info({ accountId: maskAccountNumber(remembered.accountId) }, "verified from an address the customer proved on an earlier case");
            return { facts: remembered.facts };
          }
          const attempts = accountNumberAttempts(data, facts, rule.attempts);
          const claim = claimedAccount(data, facts, caseCustomer, attempts);
          if (claim === undefined) return noClaim(ctx, attempts, metrics);
          return checkClaim(ctx, claim, metrics);
        },
      }),
    ],
  });

  /**
   * A customer verified on an earlier case (their memory says so) who writes
   * from an address they proved: the verification facts, else undefined.
   */
  function rememberedVerification(ctx: StepContext): { accountId: string; facts: StepFact[] } | undefined {
    const verified = ctx.customer?.verified;
    const last = factsOf(ctx.case.facts, "message.received").at(-1);
    if (verified == null || verified.accountId === null || last === undefined) return undefined;
    const { channel, address } = last.data;
    const proved = (ctx.customer?.addresses ?? []).some((a) => a.verified && a.channel === channel && a.address === normalizeAddress(channel, address));
    if (!proved || ctx.customer?.customerId !== accountCustomerId(verified.accountId)) return undefined;
    return {
      accountId: verified.accountId,
      facts: [
        attempted({ accountId: verified.accountId, challengeId: null, method: "channel_address", outcome: "verified", message: last, tries: 0, reason: `a ${channel} address the customer proved on case ${verified.caseId}` }),
        { kind: "identity.verified", data: { customerId: ctx.customer.customerId, method: "channel_address", accountId: verified.accountId } },
      ],
    };
  }

  /** Nothing names an account: ask for the number, or, after the `identity-failed` limit of unknown numbers, hand the case to a person. */
  function noClaim(ctx: StepContext, attempts: ReturnType<typeof accountNumberAttempts>, metrics: Metrics): StepResult {
    const facts = ctx.case.facts;
    const audit = unknownNumberAudit(facts, attempts.failed, metrics);
    if (attempts.exhausted) return handOff(ctx, { rule: IDENTITY_FAILED_RULE, accountId: null, failed: attempts.failed, audit, tell: HANDOFF_TELL, reason: unknownReason(attempts.failed) });
    // Nothing known: ask for exactly the account number. Asking is a re-ask
    // only when a valid number was there all along (a bug here).
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
      "nothing names an account; asking for the account number",
    );
    return { facts: audit, needs: [{ capability: "reply", input: { about: "identity.ask", ask: "account_number", tell } }] };
  }

  /** A claim on `claim.account`: locked, answered, or to be challenged. */
  async function checkClaim(ctx: StepContext, claim: Claim, metrics: Metrics): Promise<StepResult> {
    const facts = ctx.case.facts;
    const account = claim.account;
    const now = ctx.clock.now();
    const last = factsOf(facts, "message.received").at(-1);
    const standing = await guard.state(account.accountId, now);
    if (standing.lockedUntil !== null) {
      metrics.attempts.inc({ method: "otp", outcome: "locked" });
      const audit = last === undefined ? [] : [attempted({ accountId: account.accountId, challengeId: null, method: "otp", outcome: "locked", message: last, tries: 0, reason: `the account is locked until ${standing.lockedUntil}` })];
      return handOff(ctx, { rule: IDENTITY_LOCKED_RULE, accountId: account.accountId, failed: [], audit, tell: LOCKED_TELL, reason: `Self-service verification of account ${maskAccountNumber(account.accountId)} is locked until ${standing.lockedUntil} after repeated failed attempts.` });
    }
    const challenge = openChallenge(facts);
    if (challenge === undefined || challenge.data.accountId !== account.accountId) return challengeFor(ctx, account, metrics, []);
    return answer(ctx, account, challenge, metrics);
  }

  /** Reads the answers given since `challenge` went out and decides. */
  async function answer(ctx: StepContext, account: Account, challenge: Challenge, metrics: Metrics): Promise<StepResult> {
    const facts = ctx.case.facts;
    const { challengeId } = challenge.data;
    const now = ctx.clock.now();
    const out: StepFact[] = [];
    const wrong = wrongCodes(facts, challengeId);
    const sent = await sealed.outbound(challengeId);
    let wrongNow = 0;
    for (const m of messagesToTry(facts, challenge.seq)) {
      const given = await sealed.answer(m.id);
      if (given === undefined || given.challengeId !== challengeId) continue;
      const base = { accountId: account.accountId, challengeId, method: "otp" as const, message: m };
      if (sent === undefined || now > Date.parse(challenge.data.expiresAt)) {
        metrics.attempts.inc({ method: "otp", outcome: "expired" });
        out.push(attempted({ ...base, outcome: "expired", tries: wrong.size, reason: "the code had expired" }));
        ctx.log.info({ challengeId }, "a code came back after it expired; sending a new one");
        return challengeFor(ctx, account, metrics, out, "That code has expired.");
      }
      if (answerMatches(given, sent.secret)) {
        metrics.attempts.inc({ method: "otp", outcome: "verified" });
        const customerId = accountCustomerId(account.accountId);
        const link = linkFor(m.data.channel, m.data.address, account);
        out.push(
          attempted({ ...base, outcome: "verified", tries: wrong.size, reason: `the code sent to the account's registered ${sent.channel === "email" ? "e-mail address" : "phone"} was repeated in time` }),
          { kind: "identity.verified", data: { customerId, method: "otp", accountId: account.accountId } },
          ...(link ? [{ kind: "customer.linked" as const, data: { customerId, channel: m.data.channel, address: m.data.address, verified: true } }] : []),
        );
        if (link) metrics.links.inc();
        await sealed.discardOutbound(challengeId);
        ctx.log.info({ accountId: maskAccountNumber(account.accountId), linked: link, tries: wrong.size }, "verified by one-time code; the case joins the account's customer");
        return { facts: out };
      }
      wrong.add(m.id);
      wrongNow++;
      metrics.attempts.inc({ method: "otp", outcome: "wrong_code" });
      out.push(attempted({ ...base, outcome: "wrong_code", tries: wrong.size, reason: `wrong code, try ${wrong.size} of ${policy.otp.maxTries}` }));
      const standing = await guard.recordFailure(account.accountId, m.id, now);
      const caseLimit = wrong.size >= policy.otp.maxTries;
      if (caseLimit || standing.lockedUntil !== null) {
        const locked = caseLimit ? await guard.lock(account.accountId, now) : standing;
        const until = locked.lockedUntil ?? new Date(now + policy.lockout.lockMs).toISOString();
        if (locked.lockedNow || standing.lockedNow) metrics.lockouts.inc();
        const why = caseLimit ? `${wrong.size} wrong codes on this case` : `${standing.failures} failed attempts on the account within ${policy.lockout.windowMs / 60_000} minutes`;
        out.push({ kind: "identity.locked", data: { accountId: account.accountId, until, failures: Math.max(standing.failures, 1), reason: why } });
        await sealed.discardOutbound(challengeId);
        ctx.log.info({ accountId: maskAccountNumber(account.accountId), tries: wrong.size, until }, "too many wrong codes; account locked, handing to a person");
        const failed = [...wrong].map((messageFactId) => ({ messageFactId, given: [] }));
        return handOff(ctx, {
          rule: IDENTITY_LOCKED_RULE,
          accountId: account.accountId,
          failed,
          method: "otp",
          audit: out,
          tell: LOCKED_TELL,
          reason: `Identity could not be verified for account ${maskAccountNumber(account.accountId)}: ${why}. Self-service verification is locked until ${until}.`,
        });
      }
    }
    const left = policy.otp.maxTries - wrong.size;
    const contact = contactWord(challenge.data.channel);
    const tell =
      wrongNow > 0
        ? `That code does not match. Please check the code I sent to the ${contact} registered on the account and type it here; ${left} ${left === 1 ? "try" : "tries"} left.`
        : `Please type the ${challenge.data.digits}-digit code I sent to the ${contact} registered on the account.`;
    ctx.log.info({ tries: wrong.size, left }, wrongNow > 0 ? "wrong code" : "waiting for the code");
    return { facts: out, needs: [{ capability: "reply", input: { about: IDENTITY_CHALLENGE_REPLY, tell } }] };
  }

  /** Sends a one-time code for `account` to its registered contact, sealed, and tells the customer where it went. */
  async function challengeFor(ctx: StepContext, account: Account, metrics: Metrics, before: StepFact[], lead?: string): Promise<StepResult> {
    const to = policy.otp.channels
      .map((channel) => ({ channel, address: channel === "email" ? account.contacts.email : account.contacts.phone }))
      .find((c): c is { channel: "email" | "voice"; address: string } => c.address !== undefined);
    if (to === undefined) {
      return handOff(ctx, {
        rule: IDENTITY_LOCKED_RULE,
        accountId: account.accountId,
        failed: [],
        audit: before,
        tell: LOCKED_TELL,
        reason: `Account ${maskAccountNumber(account.accountId)} has no registered contact on ${policy.otp.channels.join(" or ")} to send a code to.`,
      });
    }
    const challengeId = challengeIdFor(ctx.need.needId);
    const minutes = Math.round(policy.otp.ttlMs / 60_000);
    const code = String(randomInt(10 ** policy.otp.digits)).padStart(policy.otp.digits, "0");
    const text =
      to.channel === "email"
        ? `Your ${organisation} verification code is ${code}. It expires in ${minutes} minutes. If you did not ask for it, ignore this message and do not share the code with anyone.`
        : `Your ${organisation} verification code is ${code.split("").join(" ")}. It expires in ${minutes} minutes.`;
    // A re-run finds the first code sealed under the same challenge id and keeps it.
    await sealed.sealOutbound(challengeId, { channel: to.channel, address: to.address, text, secret: code });
    const expiresAt = new Date(ctx.clock.now() + policy.otp.ttlMs).toISOString();
    metrics.challenges.inc({ channel: to.channel });
    const contact = contactWord(to.channel);
    ctx.log.info({ accountId: maskAccountNumber(account.accountId), channel: to.channel, challengeId }, "claim on an account; one-time code sent to its registered contact");
    const tell = `${lead === undefined ? "" : `${lead} `}To protect the account I sent a ${policy.otp.digits}-digit code to the ${contact} registered on it. Please type it here within ${minutes} minutes.`;
    return {
      facts: [
        ...before,
        {
          kind: "identity.challenged",
          data: { challengeId, accountId: account.accountId, customerId: accountCustomerId(account.accountId), method: "otp", channel: to.channel, digits: policy.otp.digits, maxTries: policy.otp.maxTries, expiresAt },
        },
        { kind: "reply.drafted", data: { channel: to.channel, text: sealedReplyText(challengeId, `A one-time code for confirming ownership of the account, sent to its registered ${contact}.`), replyTo: null } },
      ],
      needs: [{ capability: "reply", input: { about: IDENTITY_CHALLENGE_REPLY, tell } }],
    };
  }

  /**
   * Whether the address a verified claimant wrote from joins the account's
   * customer: not when it is a registered contact of another account (a
   * registered contact always belongs to its own account's customer).
   */
  function linkFor(channel: Parameters<typeof accountByAddress>[1], address: string, account: Account): boolean {
    const owner = accountByAddress(data, channel, address);
    return owner === undefined || owner.accountId === account.accountId;
  }

  /** `identity.attempted` for each failed unknown-number message the case has no attempt for yet. */
  function unknownNumberAudit(facts: readonly StoredFact[], failed: FailedAttempt[], metrics: Metrics): StepFact[] {
    const recorded = new Set(factsOf(facts, "identity.attempted").map((a) => a.data.messageFactId));
    const messages = new Map(factsOf(facts, "message.received").map((m) => [m.id, m]));
    return failed.flatMap((f) => {
      const m = messages.get(f.messageFactId);
      if (m === undefined || recorded.has(f.messageFactId)) return [];
      metrics.attempts.inc({ method: "account_number", outcome: "unknown_account" });
      return [attempted({ accountId: null, challengeId: null, method: "account_number", outcome: "unknown_account", message: m, tries: 0, reason: `the account system holds none of ${f.given.join(", ")}` })];
    });
  }

  /**
   * Hands identity to a person: the audit facts, the escalation, one need for
   * a person with what was tried and what waits, and one reply telling the
   * customer. The needs waiting for `identity.verified` stay open: a
   * verification by the person lets them continue.
   */
  function handOff(
    ctx: StepContext,
    h: { rule: IdentityHandoffInput["rule"]; accountId: string | null; failed: FailedAttempt[]; method?: "account_number" | "otp"; audit: StepFact[]; tell: string; reason: string },
  ): StepResult {
    const open = new Set(ctx.case.state.openNeeds);
    const waiting = factsOf(ctx.case.facts, "need.opened")
      .map((n) => n.data)
      .filter((n) => open.has(n.needId) && n.needId !== ctx.need.needId && n.requires.length > 0)
      .map(({ needId, capability, requires }) => ({ needId, capability, requires }));
    const resumes = waiting.length === 0 ? "" : ` Once identity.verified is on the case, the waiting ${waiting.map((w) => w.capability).join(", ")} continue.`;
    const reason = `${h.reason}${resumes}`.slice(0, 2_000);
    const input = IdentityHandoffInput.parse({
      reason,
      rule: h.rule,
      accountId: h.accountId,
      attempts: h.failed.map((f) => ({ messageFactId: f.messageFactId, method: h.method ?? "account_number", given: f.given })),
      waiting,
    });
    ctx.log.info({ rule: h.rule, failedAttempts: h.failed.length, to: rule.capability, waiting: waiting.map((w) => w.capability) }, "handing identity to a person");
    const needs: FollowUp[] = [
      { capability: rule.capability, input },
      { capability: "reply", input: { about: IDENTITY_HANDOFF_REPLY, tell: h.tell } },
    ];
    return { facts: [...h.audit, { kind: "escalation.requested", data: { capability: rule.capability, reason, priority: rule.priority } }], needs };
  }
}

/** The `about` of the reply that tells the customer a person will help them prove who they are. */
export const IDENTITY_HANDOFF_REPLY = "identity.handoff";

function unknownReason(failed: FailedAttempt[]): string {
  const tried = failed.flatMap((f) => f.given).join(", ");
  return `Identity could not be verified after ${failed.length} attempts (rule ${IDENTITY_FAILED_RULE}): the account system holds none of the account numbers given (${tried}).`;
}

function contactWord(channel: "email" | "voice" | string): string {
  return channel === "email" ? "e-mail address" : "phone number";
}

/** One `identity.attempted` fact. */
function attempted(a: {
  accountId: string | null;
  challengeId: string | null;
  method: "otp" | "account_number" | "channel_address";
  outcome: "verified" | "wrong_code" | "expired" | "unknown_account" | "locked";
  message: { id: string; data: { channel: "chat" | "voice" | "email" | "self_service"; address: string } };
  tries: number;
  reason: string;
}): Extract<StepFact, { kind: "identity.attempted" }> {
  return {
    kind: "identity.attempted",
    data: {
      accountId: a.accountId,
      challengeId: a.challengeId,
      method: a.method,
      outcome: a.outcome,
      messageFactId: a.message.id,
      channel: a.message.data.channel,
      address: a.message.data.address,
      tries: a.tries,
      reason: a.reason.slice(0, 2_000),
    },
  };
}

/** The identity rule type, for callers that read it. */
export type { IdentityFailedRule };

/**
 * Runs the identity peer as this process's job over the shipped sample data
 * and context: publishes the accounts' registered contacts, opens the sealed
 * store and the guard, and exits 2 when the data or context is broken.
 */
export async function runIdentityPeer(): Promise<PeerHost> {
  return runPeers(
    async ({ nc, config, prepared: { id, data, context } }) => {
      await publishRegisteredContacts(await ContactDirectory.open(nc, { replicas: config.streamReplicas }), data);
      const stores = await openIdentityStores(nc, context, { replicas: config.streamReplicas });
      return [identityPeer({ id, data, context, ...stores })];
    },
    {
      role: "identity",
      prepare: (env: NodeJS.ProcessEnv) => {
        const context = loadContextHierarchy();
        identityFailedRule(context);
        return { id: loadPeerId(env, DEFAULT_IDENTITY_PEER_ID), data: loadAccountData(), context };
      },
    },
  );
}

/** The identity peer's id when PEER_ID is unset. */
export const DEFAULT_IDENTITY_PEER_ID = "identity-1";

if (isMain(import.meta.url)) await runIdentityPeer();
