import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { createHash } from "node:crypto";
import { type Channel, type ContactDirectory, CORE_FACT_KINDS, Instant, Money, normalizeAddress } from "../../blackboard/index.ts";
import { ConfigError } from "../../core/index.ts";

/**
 * The sample account system the account peer reads: accounts with their
 * contact addresses and charges, and knowledge articles tagged by intent.
 * Shipped as JSON in `peers/cx/data/` and parsed by zod when loaded; a broken
 * file is a {@link ConfigError} naming the file and the field.
 */

/** Where the shipped sample data lives. */
export const SAMPLE_DATA_DIR = fileURLToPath(new URL("./data/", import.meta.url));

/** An intent a knowledge article is relevant to: the intents `intent.classified` knows. */
export const ArticleIntent = CORE_FACT_KINDS["intent.classified"].data.shape.intent;
export type ArticleIntent = z.infer<typeof ArticleIntent>;

/** One charge on an account, as `account.loaded` carries it. */
export const Charge = z.strictObject({
  chargeId: z.string().min(1).max(64),
  amount: Money,
  at: Instant,
  description: z.string().min(1).max(256),
});
export type Charge = z.infer<typeof Charge>;

/** One customer account. */
export const Account = z.strictObject({
  accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
  name: z.string().min(1).max(256),
  /** Where the customer can be reached; a case on one of these addresses belongs to this account. */
  contacts: z.strictObject({
    email: z.email().optional(),
    phone: z.string().regex(/^\+?[0-9 ().-]{5,32}$/, "must be a phone number").optional(),
    chatId: z.string().min(1).max(128).optional(),
  }),
  plan: z.string().min(1).max(128),
  productLine: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "must be a lower-case product line"),
  charges: z.array(Charge).max(200),
});
export type Account = z.infer<typeof Account>;

/** A knowledge article, relevant to the intents it is tagged with (and, when given, only to those product lines). */
export const Article = z.strictObject({
  id: z.string().min(1).max(64),
  title: z.string().min(1).max(256),
  intents: z.array(ArticleIntent).min(1),
  productLines: z.array(z.string().min(1).max(64)).min(1).optional(),
});
export type Article = z.infer<typeof Article>;

/** The contents of `accounts.json`. */
export const AccountsFile = z.strictObject({ accounts: z.array(Account).min(1) });
/** The contents of `articles.json`. */
export const ArticlesFile = z.strictObject({ articles: z.array(Article) });

/** The parsed sample data: accounts and knowledge articles. */
export interface AccountData {
  accounts: Account[];
  articles: Article[];
}

/**
 * Reads and parses `accounts.json` and `articles.json` from `dir`.
 * @default dir SAMPLE_DATA_DIR
 * @throws ConfigError naming the file and the first bad field, or a duplicate account id.
 */
export function loadAccountData(dir: string = SAMPLE_DATA_DIR): AccountData {
  const { accounts } = parseFile(`${dir.replace(/\/?$/, "/")}accounts.json`, AccountsFile);
  const { articles } = parseFile(`${dir.replace(/\/?$/, "/")}articles.json`, ArticlesFile);
  const ids = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    if (ids.has(a.accountId)) throw new ConfigError(`${dir}accounts.json: accounts.${i}.accountId: ${a.accountId} is listed twice`);
    ids.add(a.accountId);
  }
  return { accounts, articles };
}

function parseFile<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${path}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** The account one of whose contact addresses is `address` on `channel` (normalised as the blackboard does), if any. */
export function accountByAddress(data: AccountData, channel: Channel, address: string): Account | undefined {
  const wanted = normalizeAddress(channel, address);
  return data.accounts.find((a) => {
    const { email, phone, chatId } = a.contacts;
    switch (channel) {
      case "email":
        return email !== undefined && normalizeAddress("email", email) === wanted;
      case "voice":
        return phone !== undefined && normalizeAddress("voice", phone) === wanted;
      case "chat":
      case "self_service":
        return chatId !== undefined && chatId === wanted;
    }
  });
}

/** The articles tagged with `intent` that fit the account's product line. */
export function articlesFor(data: AccountData, intent: ArticleIntent, productLine: string): Article[] {
  return data.articles.filter((a) => a.intents.includes(intent) && (a.productLines === undefined || a.productLines.includes(productLine)));
}

/**
 * The one customer record an account owns: derived from the account id, so
 * every process names the same customer and it is created once, by whichever
 * fact first mentions it.
 */
export function accountCustomerId(accountId: string): string {
  const readable = `cu-acct-${accountId}`;
  return readable.length <= 64 ? readable : `cu-acct-h${createHash("sha256").update(accountId, "utf8").digest("hex").slice(0, 32)}`;
}

/** The account whose customer record is `customerId`, if it is one. */
export function accountOfCustomer(data: AccountData, customerId: string | null | undefined): Account | undefined {
  return customerId == null ? undefined : data.accounts.find((a) => accountCustomerId(a.accountId) === customerId);
}

/** The registered contacts of an account, by channel (a chat id serves chat and self-service). */
export function registeredContacts(account: Account): { channel: Channel; address: string }[] {
  const { email, phone, chatId } = account.contacts;
  return [
    ...(email === undefined ? [] : [{ channel: "email" as const, address: email }]),
    ...(phone === undefined ? [] : [{ channel: "voice" as const, address: phone }]),
    ...(chatId === undefined ? [] : [{ channel: "chat" as const, address: chatId }, { channel: "self_service" as const, address: chatId }]),
  ];
}

/**
 * Publishes every account's registered contacts into the contact directory,
 * each owned by the account's customer: from then on a message from one of
 * them lands on that customer whatever was claimed or linked before.
 * Idempotent; the account and identity peers call it when they start.
 */
export async function publishRegisteredContacts(directory: ContactDirectory, data: AccountData): Promise<number> {
  let n = 0;
  for (const account of data.accounts) {
    const owner = { customerId: accountCustomerId(account.accountId), accountId: account.accountId };
    for (const { channel, address } of registeredContacts(account)) {
      await directory.register(channel, address, owner);
      n++;
    }
  }
  return n;
}
