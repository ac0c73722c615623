import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { openFileBucket } from "../core/index.ts";

/** Where peers announce themselves; entries older than the presence TTL are gone. */
export const PRESENCE_BUCKET = "casemesh_presence";
/** One entry per need: the single leased right to work on it. */
export const CLAIMS_BUCKET = "casemesh_claims";
/** How long a settled claim is kept before the bucket forgets it. */
export const CLAIM_RETENTION_MS = 24 * 3600_000;

/** Opens (creating if needed) the presence and claims buckets. */
export async function openBuckets(
  nc: NatsConnection,
  options: { presenceTtlMs: number; replicas?: number },
): Promise<{ presence: KV; claims: KV }> {
  const replicas = options.replicas ?? 1;
  const presence = await openPresenceBucket(nc, options.presenceTtlMs, replicas);
  const claims = await openFileBucket(nc, CLAIMS_BUCKET, { ttlMs: CLAIM_RETENTION_MS, replicas });
  return { presence, claims };
}

/**
 * Opens (creating if needed) the presence bucket. File storage, so presence
 * survives a nats-server restart; heartbeats call this again if they find the
 * bucket gone.
 */
export function openPresenceBucket(nc: NatsConnection, ttlMs: number, replicas = 1): Promise<KV> {
  return openFileBucket(nc, PRESENCE_BUCKET, { ttlMs, replicas });
}
