/**
 * The account peer: serves `account.load`. It loads the account the case is
 * verified for (`identity.verified`; nothing else), and writes
 * `account.loaded` with its plan, its charges and the knowledge articles for
 * the case's intent. The account's registered contacts (phone, e-mail, chat
 * id) are joined to the account's customer, which the case belongs to once
 * verified, so the Outbox finds where to send a follow-up. When it starts it
 * publishes every account's registered contacts into the contact directory,
 * so a message from one always lands on that account's customer. Run it on its own with
 * `NATS_URL=… node --import tsx peers/cx/account.ts`.
 */
import { z } from "zod";
import { type Channel, ContactDirectory, normalizeAddress, type StoredFact } from "../../blackboard/index.ts";
import { capability, definePeer, type PeerDefinition, type PeerHost, loadPeerId, runPeers, type StepContext } from "../index.ts";
import { ArticleIntent, accountCustomerId, articlesFor, loadAccountData, publishRegisteredContacts, type Account, type AccountData } from "./account-data.ts";
import { factsOf, latestOf } from "./case-facts.ts";
import { isMain, NotFoundError } from "../../core/index.ts";

/** The capability this peer serves. */
export const ACCOUNT_LOAD = "account.load";
/** Where an `account.load` that cannot find the account goes. */
export const ACCOUNT_LOAD_FALLBACK = "human.triage";

/** The input of an `account.load` need: nothing is required; everything is read from the case. */
export const AccountLoadInput = z.object({});
export type AccountLoadInput = z.infer<typeof AccountLoadInput>;

/** What the account peer is made of. */
export interface AccountPeerOptions {
  /** @default DEFAULT_ACCOUNT_PEER_ID (the process passes PEER_ID) */
  id?: string;
  /** @default loadAccountData() (the shipped sample data) */
  data?: AccountData;
}

/**
 * The case's account: the one `identity.verified` on the case names, and no
 * other. An account an address or a typed number merely points at is not
 * the customer's until they prove it, so it is not loaded. Undefined when the
 * case is not verified for an account.
 * @throws NotFoundError when the verified account is not in the account system.
 */
export function findAccount(data: AccountData, facts: readonly StoredFact[]): Account | undefined {
  const verified = factsOf(facts, "identity.verified").map((f) => f.data.accountId).filter((id): id is string => id !== null).at(-1);
  if (verified === undefined) return undefined;
  const account = data.accounts.find((a) => a.accountId === verified);
  if (account === undefined) throw new NotFoundError(`identity.verified names account ${verified}, which the account system does not hold`);
  return account;
}

/**
 * `customer.linked` facts for the account's contacts the customer does not
 * have yet, marked verified: only when `identity.verified` named this account
 * (an account merely guessed from an address links nothing).
 */
export function contactLinks(
  account: Account,
  facts: readonly StoredFact[],
  customerId: string | null,
  customer: StepContext["customer"],
): { kind: "customer.linked"; data: { customerId: string; channel: Channel; address: string; verified: true } }[] {
  if (customerId === null || customerId !== accountCustomerId(account.accountId)) return [];
  const verifiedFor = factsOf(facts, "identity.verified").some((f) => f.data.accountId === account.accountId);
  if (!verifiedFor) return [];
  const { phone, email, chatId } = account.contacts;
  const contacts: { channel: Channel; address: string | undefined }[] = [
    { channel: "voice", address: phone },
    { channel: "email", address: email },
    { channel: "chat", address: chatId },
  ];
  const has = (channel: Channel, address: string) =>
    (customer?.addresses ?? []).some((a) => a.channel === channel && a.verified && a.address === normalizeAddress(channel, address)) ||
    factsOf(facts, "customer.linked").some((f) => f.data.verified && f.data.channel === channel && normalizeAddress(channel, f.data.address) === normalizeAddress(channel, address));
  return contacts.flatMap(({ channel, address }) =>
    address === undefined || has(channel, address) ? [] : [{ kind: "customer.linked" as const, data: { customerId, channel, address, verified: true as const } }],
  );
}

/** Builds the account peer over `options.data`. */
export function accountPeer(options: AccountPeerOptions = {}): PeerDefinition {
  const data = options.data ?? loadAccountData();
  return definePeer({
    id: options.id ?? DEFAULT_ACCOUNT_PEER_ID,
    version: "1.0.0",
    capacity: 32,
    capabilities: [
      capability({
        name: ACCOUNT_LOAD,
        input: AccountLoadInput,
        fit: 1,
        fallback: ACCOUNT_LOAD_FALLBACK,
        // The data is read at the need's version: a second run would find the same nothing.
        maxRuns: 1,
        async handler(_input, ctx) {
          const account = findAccount(data, ctx.case.facts);
          if (account === undefined) throw new NotFoundError(`case ${ctx.need.caseId} is not verified for an account; account.load requires identity.verified`);
          const intent = ArticleIntent.safeParse(latestOf(ctx.case.facts, "intent.classified")?.intent ?? ctx.case.state.intent);
          const articles = intent.success ? articlesFor(data, intent.data, account.productLine) : [];
          const links = contactLinks(account, ctx.case.facts, ctx.case.state.customerId, ctx.customer);
          ctx.log.info({ accountId: account.accountId, charges: account.charges.length, articles: articles.length, linked: links.length }, "account loaded");
          return {
            facts: [
              ...links,
              {
                kind: "account.loaded",
                data: {
                  accountId: account.accountId,
                  plan: account.plan,
                  charges: account.charges,
                  articles: articles.slice(0, 50).map((a) => ({ id: a.id, title: a.title })),
                },
              },
            ],
          };
        },
      }),
    ],
  });
}

/** Runs the account peer as this process's job over the shipped sample data (publishing its registered contacts first); exits 2 when the data is broken. */
export async function runAccountPeer(): Promise<PeerHost> {
  return runPeers(
    async ({ nc, config, prepared: { id, data } }) => {
      await publishRegisteredContacts(await ContactDirectory.open(nc, { replicas: config.streamReplicas }), data);
      return [accountPeer({ id, data })];
    },
    { role: "account", prepare: (env: NodeJS.ProcessEnv) => ({ id: loadPeerId(env, DEFAULT_ACCOUNT_PEER_ID), data: loadAccountData() }) },
  );
}

/** The account peer's id when PEER_ID is unset. */
export const DEFAULT_ACCOUNT_PEER_ID = "account-1";

if (isMain(import.meta.url)) await runAccountPeer();
