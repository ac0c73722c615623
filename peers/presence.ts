import { EventEmitter } from "node:events";
import type { KV, KvEntry } from "@nats-io/kv";
import type { Logger } from "pino";
import { z } from "zod";
import { Capability } from "../blackboard/index.ts";
import { delay, isNoResponders, LiveKvWatch } from "../core/index.ts";
import { PeerId, decodeJson } from "./protocol.ts";

export { DEFAULT_HEARTBEAT_MS } from "../core/index.ts";
/** A peer not heard from for this many heartbeats is gone from every directory. */
export const PRESENCE_TTL_HEARTBEATS = 3;

/** What a peer announces on every heartbeat. */
export const PresenceRecord = z.strictObject({
  peer: PeerId,
  /** The process hosting the peer: it answers calls for proposals for all its peers at once. */
  host: PeerId,
  capabilities: z.array(Capability).max(100),
  version: z.string().min(1).max(64),
  /** Steps in progress. */
  load: z.number().int().min(0),
  capacity: z.number().int().min(1),
  /** A draining peer finishes its work but takes no more: it is not asked to bid. */
  status: z.enum(["active", "draining"]),
});
export type PresenceRecord = z.infer<typeof PresenceRecord>;

/**
 * The live directory of peers, kept by every process from the presence
 * bucket. A peer drops out on its own when its heartbeats stop: KV max-age
 * removes the entry, and the directory ignores entries older than the TTL
 * (nats-server 2.9 sends no delete when max-age expires an entry).
 * Emits "change" whenever a peer appears, changes or disappears.
 */
export class Directory extends EventEmitter {
  readonly #kv: KV;
  readonly #ttlMs: number;
  readonly #log: Logger;
  readonly #peers = new Map<string, { record: PresenceRecord; seenAt: number }>();
  #watch: LiveKvWatch | undefined;
  #prune: NodeJS.Timeout | undefined;

  constructor(kv: KV, ttlMs: number, log: Logger) {
    super();
    // Every need waiting for a capable peer listens for changes: one listener per waiting need, not a leak.
    this.setMaxListeners(0);
    this.#kv = kv;
    this.#ttlMs = ttlMs;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#watch = await LiveKvWatch.start(
      this.#kv,
      (entry) => this.#apply(entry),
      (err, when) => this.#log.warn({ err: String(err) }, when === "ended" ? "presence watch ended; watching again" : "cannot watch presence yet; retrying"),
    );
    this.#prune = setInterval(() => this.#pruneStale(), Math.max(100, Math.floor(this.#ttlMs / 3)));
    this.#prune.unref();
  }

  stop(): void {
    this.#watch?.stop();
    clearInterval(this.#prune);
  }

  /** Live, active peers serving `capability`. */
  capable(capability: string): PresenceRecord[] {
    this.#pruneStale();
    const out: PresenceRecord[] = [];
    for (const { record } of this.#peers.values()) {
      if (record.status === "active" && record.capabilities.includes(capability)) out.push(record);
    }
    return out;
  }

  /** Every live peer. */
  all(): PresenceRecord[] {
    this.#pruneStale();
    return [...this.#peers.values()].map((p) => p.record);
  }

  #apply(entry: KvEntry): void {
    if (entry.operation !== "PUT") {
      if (this.#peers.delete(entry.key)) this.emit("change");
      return;
    }
    const parsed = PresenceRecord.safeParse(decodeJson(entry.value));
    if (!parsed.success) {
      this.#log.warn({ key: entry.key }, "ignoring a malformed presence entry");
      return;
    }
    // Age by this process's clock from when the entry was written (server time).
    const age = Math.max(0, Date.now() - entry.created.getTime());
    if (age > this.#ttlMs) return;
    this.#peers.set(entry.key, { record: parsed.data, seenAt: Date.now() - age });
    this.emit("change");
  }

  #pruneStale(): void {
    const now = Date.now();
    let changed = false;
    for (const [key, p] of this.#peers) {
      if (now - p.seenAt > this.#ttlMs) {
        this.#peers.delete(key);
        changed = true;
      }
    }
    if (changed) this.emit("change");
  }
}

/**
 * The live entry of `peerId` on a host other than `hostId`, if any: two
 * processes under one peer id would both take its awards, so the second must
 * not start. An entry left by a process that died (restarted under a new host
 * id) is told apart from a live twin by waiting out its TTL: only a live one
 * is announced again meanwhile.
 */
export async function liveElsewhere(kv: KV, peerId: string, hostId: string, ttlMs: number): Promise<PresenceRecord | undefined> {
  const read = async () => {
    const entry = await kv.get(peerId);
    if (entry === null || entry.operation !== "PUT" || Date.now() - entry.created.getTime() > ttlMs) return undefined;
    const parsed = PresenceRecord.safeParse(decodeJson(entry.value));
    return parsed.success && parsed.data.host !== hostId ? { record: parsed.data, entry } : undefined;
  };
  const first = await read();
  if (first === undefined) return undefined;
  const expiresIn = first.entry.created.getTime() + ttlMs - Date.now();
  await delay(Math.max(0, expiresIn) + 50);
  const again = await read();
  return again !== undefined && again.entry.revision !== first.entry.revision ? again.record : undefined;
}

/** Announces one peer on a heartbeat until stopped; removes the entry on a clean stop. */
export class PresenceAnnouncer {
  #kv: KV;
  readonly #reopen: () => Promise<KV>;
  readonly #heartbeatMs: number;
  readonly #snapshot: () => PresenceRecord;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  /** `reopen` creates the bucket again if a heartbeat finds it gone. */
  constructor(kv: KV, reopen: () => Promise<KV>, heartbeatMs: number, snapshot: () => PresenceRecord, log: Logger) {
    this.#kv = kv;
    this.#reopen = reopen;
    this.#heartbeatMs = heartbeatMs;
    this.#snapshot = snapshot;
    this.#log = log;
  }

  async start(): Promise<void> {
    await this.announce();
    this.#timer = setInterval(() => void this.announce(), this.#heartbeatMs);
  }

  /** Puts the current record now (also called when status changes). */
  async announce(): Promise<void> {
    const record = this.#snapshot();
    try {
      await this.#kv.put(record.peer, JSON.stringify(record));
    } catch (err) {
      this.#log.warn({ err: String(err), peerId: record.peer }, "presence heartbeat failed");
      // No responders: no stream behind the bucket (deleted, or lost with a server's memory): make it again.
      if (isNoResponders(err)) this.#kv = await this.#reopen().catch(() => this.#kv);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#kv.delete(this.#snapshot().peer).catch(() => undefined);
  }
}
