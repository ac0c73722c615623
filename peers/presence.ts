import { EventEmitter } from "node:events";
import type { KV, KvEntry, QueuedIterator } from "nats";
import type { Logger } from "pino";
import { z } from "zod";
import { Capability } from "../blackboard/contract-envelope.ts";
import { PeerId, decodeJson } from "./protocol.ts";

export { DEFAULT_HEARTBEAT_MS } from "../core/config.ts";
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
  #watch: QueuedIterator<KvEntry> | undefined;
  #prune: NodeJS.Timeout | undefined;

  constructor(kv: KV, ttlMs: number, log: Logger) {
    super();
    this.#kv = kv;
    this.#ttlMs = ttlMs;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#watch = await this.#kv.watch({ key: ">" });
    const watch = this.#watch;
    void (async () => {
      for await (const entry of watch) this.#apply(entry);
    })().catch((err: unknown) => this.#log.warn({ err: String(err) }, "presence watch ended"));
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

/** Announces one peer on a heartbeat until stopped; removes the entry on a clean stop. */
export class PresenceAnnouncer {
  readonly #kv: KV;
  readonly #heartbeatMs: number;
  readonly #snapshot: () => PresenceRecord;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(kv: KV, heartbeatMs: number, snapshot: () => PresenceRecord, log: Logger) {
    this.#kv = kv;
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
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#kv.delete(this.#snapshot().peer).catch(() => undefined);
  }
}
