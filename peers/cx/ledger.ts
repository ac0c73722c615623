import { createHash } from "node:crypto";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { Instant, Money } from "../../blackboard/index.ts";
import { ConflictError, ContractViolationError, createIdGenerator, casPut, openFileBucket, readJsonEntry, systemClock, UnavailableError, type WallClock } from "../../core/index.ts";

/**
 * The credit ledger: the one side effect outside the mesh that must happen
 * exactly once. A credit is a JetStream KV `create` under a key derived from
 * an idempotency key, so a re-run, a re-award after a crash, or twenty
 * concurrent tries with one key leave one entry; the losers get the entry
 * that is there. File storage: a credit survives a nats-server restart.
 *
 * The billing peer keys a refund by the charges it gives back, not by its
 * step, so two different needs about one charge (a customer who writes
 * twice) also meet on one key, and the entry's `stepKey` tells the step that
 * applied it from the others.
 */

/** The KV bucket credits are kept in. */
export const LEDGER_BUCKET = "casemesh_ledger";
/** Longest idempotency key kept readable in the KV key; longer or unsafe keys are hashed. */
export const MAX_READABLE_KEY_CHARS = 120;

/** One applied credit, as stored. */
export const LedgerEntry = z.strictObject({
  /** The ledger's own reference for the credit, quoted to the customer and on `credit.applied`. */
  ledgerRef: z.string().regex(/^cr_[0-9A-HJKMNP-TV-Z]{26}$/, "must be cr_ and a ULID"),
  idempotencyKey: z.string().min(1).max(256),
  accountId: z.string().min(1).max(64),
  amount: Money,
  reason: z.string().min(1).max(2_000),
  /** The charges this credit gives back, when it is for charges. */
  chargeIds: z.array(z.string().min(1).max(64)).max(50),
  /** The idempotency key of the step that applied it, when a step did. */
  stepKey: z.string().min(1).max(256).optional(),
  appliedAt: Instant,
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** What to credit. The same idempotency key must always come with the same account and amount. */
export const CreditRequest = z.strictObject({
  idempotencyKey: z.string().min(1).max(256),
  accountId: z.string().min(1).max(64),
  amount: Money.refine((m) => m.amountMinor > 0, "a credit must be more than zero"),
  reason: z.string().min(1).max(2_000),
  chargeIds: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** The applying step's idempotency key, kept on the entry. */
  stepKey: z.string().min(1).max(256).optional(),
});
export type CreditRequest = z.input<typeof CreditRequest>;

/** The outcome of {@link Ledger.apply}. */
export interface CreditResult {
  ledgerRef: string;
  /** True when this call wrote the credit; false when the key's credit was there already. */
  applied: boolean;
  /** The stored credit (this call's, or the one found). */
  entry: LedgerEntry;
}

/** The part of the ledger a step needs: apply a credit, once per idempotency key. */
export interface CreditLedger {
  apply(request: CreditRequest): Promise<CreditResult>;
  credits(accountId: string): Promise<LedgerEntry[]>;
}

/**
 * The KV key for an idempotency key. Keys made of letters, digits, `_`, `-`
 * and inner dots stay readable (`k.<key>`); anything else is hashed
 * (`h.<sha256>`). The prefixes keep the two forms apart, so distinct
 * idempotency keys never share a KV key.
 */
export function ledgerKey(idempotencyKey: string): string {
  if (idempotencyKey.length <= MAX_READABLE_KEY_CHARS && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(idempotencyKey)) return `k.${idempotencyKey}`;
  return `h.${createHash("sha256").update(idempotencyKey, "utf8").digest("hex")}`;
}

/** The credit ledger over the `casemesh_ledger` KV bucket. */
export class Ledger implements CreditLedger {
  readonly #kv: KV;
  readonly #clock: WallClock;
  readonly #newId: () => string;

  private constructor(kv: KV, clock: WallClock) {
    this.#kv = kv;
    this.#clock = clock;
    this.#newId = createIdGenerator(clock);
  }

  /**
   * Opens (creating if needed) the ledger bucket: file storage, one revision
   * per key, no expiry.
   * @param options.replicas JetStream replicas of the bucket. @default 1
   * @param options.clock Stamps `appliedAt`. @default systemClock
   */
  static async open(nc: NatsConnection, options: { replicas?: number; clock?: WallClock } = {}): Promise<Ledger> {
    const kv = await openFileBucket(nc, LEDGER_BUCKET, options.replicas === undefined ? {} : { replicas: options.replicas });
    return new Ledger(kv, options.clock ?? systemClock);
  }

  /**
   * Applies a credit once per idempotency key. The first call writes it and
   * returns `applied: true`; every later (or concurrent) call with that key
   * returns the stored credit with `applied: false`.
   * @throws ContractViolationError when `request` is malformed.
   * @throws ConflictError when the key's stored credit is for another account or amount.
   * @throws UnavailableError when JetStream does not answer (safe to retry: the key decides).
   */
  async apply(request: CreditRequest): Promise<CreditResult> {
    const parsed = CreditRequest.safeParse(request);
    if (!parsed.success) {
      throw new ContractViolationError("ledger credit request", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    }
    const req = parsed.data;
    const key = ledgerKey(req.idempotencyKey);
    const entry: LedgerEntry = {
      ledgerRef: `cr_${this.#newId()}`,
      idempotencyKey: req.idempotencyKey,
      accountId: req.accountId,
      amount: req.amount,
      reason: req.reason,
      chargeIds: req.chargeIds ?? [],
      ...(req.stepKey === undefined ? {} : { stepKey: req.stepKey }),
      appliedAt: new Date(this.#clock.now()).toISOString(),
    };
    // Anything but "the key exists" may or may not have been written (UnavailableError); a retry finds out.
    if ((await casPut(this.#kv, key, JSON.stringify(entry), 0, `ledger write for ${req.idempotencyKey}`)) !== undefined) {
      return { ledgerRef: entry.ledgerRef, applied: true, entry };
    }
    const existing = await this.#read(key);
    if (existing === undefined) throw new UnavailableError(`ledger key ${key} exists but could not be read`);
    if (existing.accountId !== req.accountId || existing.amount.amountMinor !== req.amount.amountMinor || existing.amount.currency !== req.amount.currency) {
      throw new ConflictError(
        `idempotency key ${req.idempotencyKey} already credited ${existing.amount.amountMinor} ${existing.amount.currency} to ${existing.accountId} (${existing.ledgerRef})`,
      );
    }
    return { ledgerRef: existing.ledgerRef, applied: false, entry: existing };
  }

  /** The credit stored for an idempotency key, if any. */
  get(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return this.#read(ledgerKey(idempotencyKey));
  }

  /**
   * Every credit of `accountId`, oldest first. It reads the whole bucket:
   * fine for a reference ledger, an index per account for a large one.
   */
  async credits(accountId: string): Promise<LedgerEntry[]> {
    const keys: string[] = [];
    for await (const key of await this.#kv.keys()) keys.push(key);
    const entries = await Promise.all(keys.map((k) => this.#read(k)));
    return entries
      .filter((e): e is LedgerEntry => e !== undefined && e.accountId === accountId)
      .sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.ledgerRef.localeCompare(b.ledgerRef));
  }

  async #read(key: string): Promise<LedgerEntry | undefined> {
    return (await readJsonEntry(this.#kv, key, LedgerEntry, `ledger entry ${key}`)).value;
  }
}
