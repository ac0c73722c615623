import type { KV, KvEntry } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { Gauge, type Registry } from "prom-client";
import { z } from "zod";
import type { Logger } from "../observability/index.ts";
import { casPut, decodeJson, encodeJson, followKv, type MeshClock, openFileBucket, systemMeshClock } from "../core/index.ts";

/**
 * A clock a whole running mesh shares, for development and end-to-end tests:
 * the wall clock plus an offset kept in a JetStream KV entry. Every process
 * started with CASEMESH_CLOCK=shared follows the entry, so one command can move
 * the mesh "to tomorrow": fact timestamps, follow-up due times and the timer
 * loop all move together. Leases keep the wall clock. `npm start` runs its
 * mesh on it; a production deployment leaves CASEMESH_CLOCK unset.
 */

/** The KV bucket holding the shared offset. */
export const SHARED_CLOCK_BUCKET = "casemesh_clock";
const OFFSET_KEY = "offset";

/** The stored offset. */
export const SharedClockEntry = z.object({
  offsetMs: z.number().int(),
  /** Wall-clock time of the change, ISO 8601. */
  changedAt: z.string(),
  /** Who moved it, for the log. */
  by: z.string().max(200),
});
export type SharedClockEntry = z.infer<typeof SharedClockEntry>;

/** The offset a stored entry holds; undefined for none or one that is not an entry. */
function offsetOf(entry: KvEntry | null): number | undefined {
  if (entry === null || entry.operation !== "PUT") return undefined;
  const parsed = SharedClockEntry.safeParse(decodeJson(entry.value));
  return parsed.success ? parsed.data.offsetMs : undefined;
}

function openBucket(nc: NatsConnection): Promise<KV> {
  return openFileBucket(nc, SHARED_CLOCK_BUCKET);
}

/** The mesh's shared clock as this process sees it. */
export class SharedClock implements MeshClock {
  readonly timeline = "mesh";
  #offsetMs = 0;
  readonly #stop = new AbortController();
  readonly #gauge: Gauge | undefined;

  private constructor(registry: Registry | undefined) {
    this.#gauge =
      registry === undefined
        ? undefined
        : new Gauge({
            name: "casemesh_clock_offset_seconds",
            help: "How far this process's mesh clock runs ahead of the wall clock (CASEMESH_CLOCK=shared); 0 on the wall clock.",
            registers: [registry],
          });
    this.#gauge?.set(0);
  }

  /**
   * Reads the current offset and follows it until {@link stop}. Resolves once
   * the current offset is known, so the first `now()` is already right.
   */
  static async open(nc: NatsConnection, options: { registry?: Registry; log?: Logger } = {}): Promise<SharedClock> {
    const clock = new SharedClock(options.registry);
    const kv = await openBucket(nc);
    clock.#apply(await kv.get(OFFSET_KEY), options.log);
    void clock.#follow(kv, options.log);
    return clock;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** The offset this process applies now, in milliseconds. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  stop(): void {
    this.#stop.abort();
  }

  #apply(entry: KvEntry | null, log: Logger | undefined): void {
    if (entry === null || entry.operation !== "PUT") return;
    const offsetMs = offsetOf(entry);
    if (offsetMs === undefined) {
      log?.warn({ bucket: SHARED_CLOCK_BUCKET }, "ignoring a shared clock entry that is not one");
      return;
    }
    if (offsetMs !== this.#offsetMs) log?.info({ offsetMs }, "mesh clock moved");
    this.#offsetMs = offsetMs;
    this.#gauge?.set(offsetMs / 1000);
  }

  /** Follows the entry until stopped; a watch that ends (a nats-server restart) is opened again. */
  async #follow(kv: KV, log: Logger | undefined): Promise<void> {
    const onError = (err: unknown, when: "open" | "ended") =>
      log?.warn({ err: String(err) }, when === "ended" ? "shared clock watch ended; watching again" : "cannot watch the shared clock yet; retrying");
    for await (const entry of followKv(kv, { key: OFFSET_KEY, signal: this.#stop.signal, onError })) this.#apply(entry, log);
  }
}

/**
 * Moves the mesh's shared clock forward by `byMs` (compare-and-set, so two
 * movers add up) and returns the new offset. Processes follow within a KV
 * watch round trip; their `casemesh_clock_offset_seconds` gauge shows it.
 */
export async function advanceSharedClock(nc: NatsConnection, byMs: number, by: string): Promise<number> {
  if (!Number.isSafeInteger(byMs) || byMs < 0) throw new RangeError(`the mesh clock only moves forward, by whole milliseconds; got ${byMs}`);
  const kv = await openBucket(nc);
  for (;;) {
    const current = await kv.get(OFFSET_KEY);
    const offsetMs = (offsetOf(current) ?? 0) + byMs;
    const entry: SharedClockEntry = { offsetMs, changedAt: new Date().toISOString(), by };
    // Refused: someone else moved it first; read again and add to theirs.
    if ((await casPut(kv, OFFSET_KEY, encodeJson(entry), current?.revision ?? 0, "moving the shared clock")) !== undefined) return offsetMs;
  }
}

/** The shared clock's current offset, without following it (0 when never moved). */
export async function readSharedClockOffset(nc: NatsConnection): Promise<number> {
  return offsetOf(await (await openBucket(nc)).get(OFFSET_KEY)) ?? 0;
}

/** A process's mesh clock, which it stops following when it stops. */
export interface FollowedMeshClock extends MeshClock {
  stop(): void;
}

/**
 * The process's mesh clock for CASEMESH_CLOCK: the wall clock (`system`), or
 * the {@link SharedClock} (`shared`), which also exports
 * `casemesh_clock_offset_seconds` on `registry`.
 */
export async function openMeshClock(
  kind: "system" | "shared",
  nc: NatsConnection,
  options: { registry?: Registry; log?: Logger } = {},
): Promise<FollowedMeshClock> {
  if (kind === "shared") return SharedClock.open(nc, options);
  return { ...systemMeshClock, stop: () => undefined };
}
