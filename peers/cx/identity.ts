/**
 * The identity peer: serves `identity.verify`. It verifies the customer from
 * what the case and the customer's memory already hold (a verified channel
 * address, an address the account system knows, an account number the
 * customer gave earlier, a verification on an earlier case) and writes
 * `identity.verified`. Only when none of that is there does it ask, for
 * exactly the missing thing (the account number), through a `reply` need;
 * the needs that depend on identity wait for `identity.verified`. Asking for
 * something the case already held is counted in `casemesh_reasks_total`.
 * Run it on its own with `NATS_URL=… node --import tsx peers/cx/identity.ts`.
 */
import { z } from "zod";
import { FACT_KINDS, type Channel, type StoredFact } from "../../blackboard/index.ts";
import { ConfigError } from "../../core/errors.ts";
import { capability, definePeer, runPeers, type PeerDefinition, type PeerHost, type StepContext } from "../index.ts";
import { accountByAddress, loadAccountData, type Account, type AccountData } from "./account-data.ts";
import { factsOf, latestOf } from "./case-facts.ts";
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

/** An account number as customers write it: `acc-1001`, `ACC 1001`. */
const ACCOUNT_NUMBER = /\bacc[- ]?(\d{3,12})\b/gi;

/** The input of an `identity.verify` need: nothing; everything is read from the case and the customer's memory. */
export const IdentityVerifyInput = z.object({});
export type IdentityVerifyInput = z.infer<typeof IdentityVerifyInput>;

/** What `identity.verified` says. */
export type Verification = z.infer<(typeof FACT_KINDS)["identity.verified"]["data"]>;

type Customer = StepContext["customer"];

/** Every account number the customer wrote on the case, oldest first, as `acc-<digits>`, without repeats. */
export function accountNumbersIn(facts: readonly StoredFact[]): string[] {
  const found: string[] = [];
  for (const m of factsOf(facts, "message.received")) {
    for (const hit of m.data.text.matchAll(ACCOUNT_NUMBER)) {
      const id = `acc-${hit[1] ?? ""}`;
      if (!found.includes(id)) found.push(id);
    }
  }
  return found;
}

/**
 * The account the case belongs to, as far as anything known says: the one
 * identity named, then a verified or written-from address the account system
 * knows, then the customer's remembered verification and addresses, then an
 * account number the customer gave. Undefined when nothing points at one.
 */
export function knownAccount(data: AccountData, facts: readonly StoredFact[], customer: Customer): Account | undefined {
  const byId = (id: string | null | undefined) => (id == null ? undefined : data.accounts.find((a) => a.accountId === id));
  const verified = byId(latestOf(facts, "identity.verified")?.accountId);
  if (verified !== undefined) return verified;
  for (const { channel, address } of addressesOf(facts, customer)) {
    const account = accountByAddress(data, channel, address);
    if (account !== undefined) return account;
  }
  return byId(customer?.verified?.accountId) ?? accountNumbersIn(facts).map(byId).findLast((a) => a !== undefined);
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
 * the customer gave that the account system holds. Undefined when the
 * customer must be asked.
 */
export function verifyFromKnown(data: AccountData, facts: readonly StoredFact[], customer: Customer, customerId: string): Verification | undefined {
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
  const given = accountNumbersIn(facts)
    .reverse()
    .find((id) => data.accounts.some((a) => a.accountId === id));
  if (given !== undefined) return { customerId, method: "account_number", accountId: given };
  return undefined;
}

/** What the identity peer is made of. */
export interface IdentityPeerOptions {
  /** @default process.env.PEER_ID ?? "identity-1" */
  id?: string;
  /** @default loadAccountData() (the shipped sample data) */
  data?: AccountData;
}

/** Builds the identity peer over `options.data`. */
export function identityPeer(options: IdentityPeerOptions = {}): PeerDefinition {
  const data = options.data ?? loadAccountData();
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
          const verified = verifyFromKnown(data, facts, ctx.customer, customerId);
          if (verified !== undefined) {
            ctx.log.info({ method: verified.method, accountId: verified.accountId }, "identity verified from what the case holds");
            return { facts: [{ kind: "identity.verified", data: verified }] };
          }
          // Nothing known: ask for exactly the account number. Asking is a
          // re-ask only when a valid number was there all along (a bug here).
          const given = accountNumbersIn(facts);
          const held = given.filter((id) => data.accounts.some((a) => a.accountId === id));
          if (held.length > 0) {
            countReask(ctx.metrics, IDENTITY_VERIFY);
            ctx.log.warn({ held }, "asking for an account number the case already holds");
          }
          const unknown = given.at(-1);
          const tell =
            unknown === undefined
              ? "To look into this I need your account number; it starts with acc-, like acc-1234. Please send it here."
              : `I could not find account ${unknown}. Please check your account number (it starts with acc-) and send it here.`;
          ctx.log.info({ unknownGiven: unknown ?? null }, "nothing verifies the customer; asking for the account number");
          return { needs: [{ capability: "reply", input: { about: ASK_ACCOUNT_NUMBER, ask: "account_number", tell } }] };
        },
      }),
    ],
  });
}

/** Runs the identity peer as this process's job over the shipped sample data; exits 2 when the data is broken. */
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
