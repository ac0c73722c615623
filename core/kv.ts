import { StorageType } from "@nats-io/jetstream";
import { Kvm, type KV, type KvEntry } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { z } from "zod";
import { ContractViolationError, UnavailableError } from "./errors.ts";
import { isCasRefusal } from "./nats-errors.ts";

/**
 * The few things every JetStream KV view in casemesh does the same way:
 * open a file-backed bucket, write with a compare-and-set that tells a lost
 * race from a failure, and parse an entry's JSON with its zod schema where it
 * enters.
 */

/**
 * The one compare-and-set write: puts `value` under `key` only if the key is
 * where the caller last saw it. With `revision` 0 the key must have no value
 * (never written, deleted or purged: a KV `create`); otherwise its last
 * revision must be `revision` (a KV `update`).
 * @returns the new revision, or undefined when refused: another writer got there first.
 * @throws UnavailableError saying `what` failed, when the write failed rather than lost (it may or may not be stored; reading tells).
 */
export async function casPut(kv: KV, key: string, value: string | Uint8Array, revision: number, what: string): Promise<number | undefined> {
  try {
    return revision === 0 ? await kv.create(key, value) : await kv.update(key, value, revision);
  } catch (err) {
    if (isCasRefusal(err)) return undefined;
    throw new UnavailableError(`${what} failed: ${String(err)}`, { cause: err });
  }
}

/**
 * Deletes `key`; with `revision`, only while its last revision is still that
 * one. False when refused (the key moved on).
 * @throws UnavailableError saying `what` failed.
 */
export async function casDelete(kv: KV, key: string, revision: number | undefined, what: string): Promise<boolean> {
  try {
    await kv.delete(key, revision === undefined ? {} : { previousSeq: revision });
    return true;
  } catch (err) {
    if (isCasRefusal(err)) return false;
    throw new UnavailableError(`${what} failed: ${String(err)}`, { cause: err });
  }
}

/**
 * Opens (creating if needed) a file-backed bucket keeping one revision per key.
 * @param options.ttlMs entries older than this are gone. @default no expiry
 * @param options.replicas @default 1
 * @throws UnavailableError naming the bucket.
 */
export async function openFileBucket(nc: NatsConnection, bucket: string, options: { ttlMs?: number; replicas?: number } = {}): Promise<KV> {
  try {
    return await new Kvm(nc).create(bucket, {
      history: 1,
      storage: StorageType.File,
      replicas: options.replicas ?? 1,
      ...(options.ttlMs === undefined ? {} : { ttl: options.ttlMs }),
    });
  } catch (err) {
    throw new UnavailableError(`cannot open the ${bucket} bucket: ${String(err)}`, { cause: err });
  }
}

/**
 * Reads `key` and parses its JSON with `schema`: undefined when there is no
 * value (never written, deleted or purged), with the entry's revision (0 when
 * the key was never written).
 * @throws UnavailableError when JetStream does not answer; ContractViolationError naming `what` when the value is not what `schema` says.
 */
export async function readJsonEntry<T>(kv: KV, key: string, schema: z.ZodType<T>, what: string): Promise<{ value: T | undefined; revision: number }> {
  let raw: KvEntry | null;
  try {
    raw = await kv.get(key);
  } catch (err) {
    throw new UnavailableError(`reading ${what} failed: ${String(err)}`, { cause: err });
  }
  if (raw === null) return { value: undefined, revision: 0 };
  if (raw.operation !== "PUT") return { value: undefined, revision: raw.revision };
  let value: unknown;
  try {
    value = JSON.parse(raw.string());
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ContractViolationError(what, parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  return { value: parsed.data, revision: raw.revision };
}
