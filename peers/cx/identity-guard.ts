import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { Instant } from "../../blackboard/index.ts";
import { casPut, openFileBucket, readJsonEntry, UnavailableError } from "../../core/index.ts";

/**
 * Failed verification attempts per account, across cases, and the lock they
 * lead to. One JetStream KV entry per account, changed only by
 * compare-and-set, so every copy of the identity peer counts the same; a
 * failure is recorded under the message that made it, so a step that runs
 * again after a crash does not count it twice. Times are the mesh clock's.
 */

/** The bucket's name. */
export const IDENTITY_GUARD_BUCKET = "casemesh_identity_guard";
/** Failures kept per account (the oldest drop off first). */
const MAX_FAILURES_KEPT = 100;

const GuardEntry = z.strictObject({
  failures: z.array(z.strictObject({ ref: z.string().min(1).max(256), at: Instant })).max(MAX_FAILURES_KEPT),
  lockedUntil: Instant.nullable(),
});
type GuardEntry = z.infer<typeof GuardEntry>;

/** The lockout policy: `failures` inside `windowMs` lock the account for `lockMs`. */
export interface LockoutPolicy {
  failures: number;
  windowMs: number;
  lockMs: number;
}

/** An account's standing: failures inside the window, and until when it is locked (null: it is not). */
export interface GuardState {
  failures: number;
  lockedUntil: string | null;
  /** True when this call locked it. */
  lockedNow: boolean;
}

/** The per-account guard over the `casemesh_identity_guard` bucket. */
export class IdentityGuard {
  readonly #kv: KV;
  readonly #policy: LockoutPolicy;

  private constructor(kv: KV, policy: LockoutPolicy) {
    this.#kv = kv;
    this.#policy = policy;
  }

  /** Opens (creating if needed) the bucket: file storage, one revision per key, no expiry. */
  static async open(nc: NatsConnection, policy: LockoutPolicy, options: { replicas?: number } = {}): Promise<IdentityGuard> {
    return new IdentityGuard(await openFileBucket(nc, IDENTITY_GUARD_BUCKET, options), policy);
  }

  /** The account's standing at `now` (ms). */
  async state(accountId: string, now: number): Promise<GuardState> {
    const { entry } = await this.#read(accountId);
    return this.#standing(entry, now, false);
  }

  /** Records the failed attempt `ref` (once per ref) and locks the account when the failures inside the window reach the policy's. */
  recordFailure(accountId: string, ref: string, now: number): Promise<GuardState> {
    return this.#change(accountId, now, (entry) => {
      if (entry.failures.some((f) => f.ref === ref)) return entry;
      const failures = [...entry.failures, { ref, at: new Date(now).toISOString() }].slice(-MAX_FAILURES_KEPT);
      const inWindow = failures.filter((f) => Date.parse(f.at) > now - this.#policy.windowMs).length;
      const locked = entry.lockedUntil !== null && Date.parse(entry.lockedUntil) > now;
      return { failures, lockedUntil: !locked && inWindow >= this.#policy.failures ? new Date(now + this.#policy.lockMs).toISOString() : entry.lockedUntil };
    });
  }

  /** Locks the account for the policy's lock period from `now`, unless it is locked already. */
  lock(accountId: string, now: number): Promise<GuardState> {
    return this.#change(accountId, now, (entry) =>
      entry.lockedUntil !== null && Date.parse(entry.lockedUntil) > now ? entry : { ...entry, lockedUntil: new Date(now + this.#policy.lockMs).toISOString() },
    );
  }

  async #change(accountId: string, now: number, next: (entry: GuardEntry) => GuardEntry): Promise<GuardState> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const { entry, revision } = await this.#read(accountId);
      const wasLocked = entry.lockedUntil !== null && Date.parse(entry.lockedUntil) > now;
      const changed = next(entry);
      if (changed === entry) return this.#standing(entry, now, false);
      const value = JSON.stringify(GuardEntry.parse(changed));
      if ((await casPut(this.#kv, guardKey(accountId), value, revision, "identity guard write for an account")) === undefined) continue;
      return this.#standing(changed, now, !wasLocked);
    }
    throw new UnavailableError("identity guard: too many concurrent changes to one account; try again");
  }

  #standing(entry: GuardEntry, now: number, changed: boolean): GuardState {
    const lockedUntil = entry.lockedUntil !== null && Date.parse(entry.lockedUntil) > now ? entry.lockedUntil : null;
    return { failures: entry.failures.filter((f) => Date.parse(f.at) > now - this.#policy.windowMs).length, lockedUntil, lockedNow: changed && lockedUntil !== null };
  }

  async #read(accountId: string): Promise<{ entry: GuardEntry; revision: number }> {
    const { value, revision } = await readJsonEntry(this.#kv, guardKey(accountId), GuardEntry, "identity guard entry");
    return { entry: value ?? { failures: [], lockedUntil: null }, revision };
  }
}

/** The KV key of an account (account ids are `[A-Za-z0-9_-]`, safe in a key). */
function guardKey(accountId: string): string {
  return `acct.${accountId}`;
}
