import { createHash } from "node:crypto";
import { Level } from "level";
import { z } from "zod";
import { CasemeshError } from "../core/index.ts";
import { keys } from "./projection-keys.ts";
import {
  AddressEntry,
  ClientMessageEntry,
  CaseState,
  Conflict,
  CustomerMemory,
  DeadLetter,
  OpenNeed,
  PendingTimer,
  StoredFact,
  type CaseStatus,
} from "./projection-state.ts";

/** How many stored-fact keys a store remembers as already checked. */
export const MAX_CHECKED_FACT_KEYS = 200_000;
/** Read-ahead for one case's range: a whole large case in one native call. */
const CASE_READ_BYTES = 4 * 1024 * 1024;
/** How many committed case states, customer memories and open needs a store keeps parsed in memory. */
export const MAX_HOT_VALUES = 20_000;

/**
 * The keys nearly every fact reads back right after an earlier fact wrote
 * them: the case state, the customer's memory and an open need.
 */
function isHotKey(key: string): boolean {
  return key.startsWith("u!") || key.startsWith("n!") || (key.startsWith("c!") && key.endsWith("!s"));
}

/** One write in an atomic batch. */
export type BatchOp = { type: "put"; key: string; value: unknown } | { type: "del"; key: string };

/**
 * The blackboard's level folder. Values are JSON, parsed by zod on read. The
 * only writer is the applier, one atomic batch per log message, and every
 * batch carries the last applied sequence.
 */
export class ProjectionStore {
  readonly dir: string;
  readonly #db: Level<string, string>;
  /** Fact keys already checked against {@link StoredFact}; bounded, oldest forgotten first. */
  readonly #checkedFacts = new Set<string>();
  /**
   * Hot values as this store last committed them (frozen), so the next fact
   * that reads one needs neither a level read nor a parse. Only `commit` fills
   * it, after the batch is written: a read never does, so a query racing a
   * commit cannot leave an older value behind. Bounded, least recently
   * written forgotten first.
   */
  readonly #hot = new Map<string, unknown>();

  private constructor(dir: string, db: Level<string, string>) {
    this.dir = dir;
    this.#db = db;
  }

  static async open(dir: string): Promise<ProjectionStore> {
    const db = new Level<string, string>(dir, { valueEncoding: "utf8" });
    try {
      await db.open();
    } catch (err) {
      throw new CasemeshError("UNAVAILABLE", `cannot open the blackboard folder ${dir}: ${String(err)}`, { cause: err });
    }
    return new ProjectionStore(dir, db);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }

  /** Writes `ops` and the new last applied sequence atomically. */
  async commit(seq: number, ops: readonly BatchOp[]): Promise<void> {
    const batch = this.#db.batch();
    for (const op of ops) {
      if (op.type === "put") batch.put(op.key, JSON.stringify(op.value));
      else batch.del(op.key);
    }
    batch.put(keys.lastSeq, String(seq));
    await batch.write();
    for (const op of ops) {
      if (!isHotKey(op.key)) continue;
      this.#hot.delete(op.key);
      if (op.type === "put") this.#hot.set(op.key, deepFreeze(op.value));
    }
    for (const key of this.#hot.keys()) {
      if (this.#hot.size <= MAX_HOT_VALUES) break;
      this.#hot.delete(key);
    }
  }

  /** The sequence of the last log message applied; 0 for an empty folder. */
  async lastSeq(): Promise<number> {
    const raw = await this.#db.get(keys.lastSeq);
    return raw === undefined ? 0 : Number(raw);
  }

  async caseState(caseId: string): Promise<CaseState | undefined> {
    return this.#read(keys.caseState(caseId), CaseState);
  }

  /**
   * The case and its facts from one snapshot, optionally only facts after
   * `afterSeq`. Facts come back as their stored JSON, ready to send: a fact is
   * immutable, so each stored fact is checked against its schema on its first
   * read in this process, not on every read.
   */
  async caseWithFactsJson(caseId: string, afterSeq = 0): Promise<{ state: CaseState; facts: string[] } | undefined> {
    let state: CaseState | undefined;
    const facts: string[] = [];
    const factPrefix = keys.caseFactsRange(caseId).gt;
    const stateKey = keys.caseState(caseId);
    // One native call for the whole range: far cheaper than iterating entry by entry.
    const entries = await this.#db.iterator({ ...keys.caseRange(caseId), highWaterMarkBytes: CASE_READ_BYTES }).all();
    for (const [key, value] of entries) {
      if (key.startsWith(factPrefix)) {
        if (Number(key.slice(factPrefix.length)) <= afterSeq) continue;
        if (!this.#checkedFacts.has(key)) {
          parse(key, value, StoredFact);
          this.#rememberChecked(key);
        }
        facts.push(value);
      } else if (key === stateKey) {
        state = parse(key, value, CaseState);
      }
    }
    return state === undefined ? undefined : { state, facts };
  }

  #rememberChecked(key: string): void {
    if (this.#checkedFacts.size >= MAX_CHECKED_FACT_KEYS) {
      const oldest = this.#checkedFacts.values().next();
      if (oldest.done !== true) this.#checkedFacts.delete(oldest.value);
    }
    this.#checkedFacts.add(key);
  }

  async customer(customerId: string): Promise<CustomerMemory | undefined> {
    return this.#read(keys.customer(customerId), CustomerMemory);
  }

  async address(channel: string, normalizedAddress: string): Promise<z.infer<typeof AddressEntry> | undefined> {
    return this.#read(keys.address(channel, normalizedAddress), AddressEntry);
  }

  async clientMessage(channel: string, clientMessageId: string): Promise<ClientMessageEntry | undefined> {
    return this.#read(keys.clientMessage(channel, clientMessageId), ClientMessageEntry);
  }

  async need(needId: string): Promise<OpenNeed | undefined> {
    return this.#read(keys.need(needId), OpenNeed);
  }

  /** The key of a pending timer's entry, for moving or removing it. */
  async timerKey(timerId: string): Promise<string | undefined> {
    return this.#read(keys.timerById(timerId), z.string());
  }

  async statusCount(status: CaseStatus): Promise<number> {
    const raw = await this.#db.get(keys.statusCount(status));
    return raw === undefined ? 0 : Number(raw);
  }

  async casesByStatus(status: CaseStatus, limit: number, after?: string): Promise<CaseState[]> {
    const range = keys.statusRange(status);
    const ids: string[] = [];
    const from = after === undefined ? range : { gt: keys.statusIndex(status, after), lt: range.lt };
    for await (const key of this.#db.keys({ ...from, limit })) ids.push(key.slice(range.gt.length));
    const states = await Promise.all(ids.map((id) => this.caseState(id)));
    return states.filter((s): s is CaseState => s !== undefined);
  }

  async openNeeds(limit: number, capability?: string): Promise<OpenNeed[]> {
    const out: OpenNeed[] = [];
    for await (const [key, value] of this.#db.iterator(keys.needRange)) {
      const need = parse(key, value, OpenNeed);
      if (capability === undefined || need.capability === capability) out.push(need);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Timers due at or before `before` (an ISO instant), earliest first. */
  async dueTimers(before: string, limit: number): Promise<PendingTimer[]> {
    const out: PendingTimer[] = [];
    for await (const [key, value] of this.#db.iterator({ ...keys.timerRange, limit })) {
      const timer = parse(key, value, PendingTimer);
      if (timer.dueAt > before) break;
      out.push(timer);
    }
    return out;
  }

  async deadLetters(limit: number, afterSeq = 0): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    const gt = afterSeq > 0 ? keys.deadLetter(afterSeq) : keys.deadLetterRange.gt;
    for await (const [key, value] of this.#db.iterator({ gt, lt: keys.deadLetterRange.lt, limit })) {
      out.push(parse(key, value, DeadLetter));
    }
    return out;
  }

  async deadLetter(seq: number): Promise<DeadLetter | undefined> {
    return this.#read(keys.deadLetter(seq), DeadLetter);
  }

  async conflict(seq: number): Promise<Conflict | undefined> {
    return this.#read(keys.conflict(seq), Conflict);
  }

  /**
   * A SHA-256 over every key and value, in key order. Two replicas fed the same
   * log to the same sequence have the same digest.
   */
  async digest(): Promise<{ digest: string; entries: number }> {
    const hash = createHash("sha256");
    let entries = 0;
    for await (const [key, value] of this.#db.iterator()) {
      hash.update(key).update("\0").update(value).update("\n");
      entries++;
    }
    return { digest: hash.digest("hex"), entries };
  }

  async #read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    // What this store committed is what the projector built from checked facts: no need to parse it again.
    const hot = this.#hot.get(key);
    if (hot !== undefined) return hot as T;
    const raw = await this.#db.get(key);
    return raw === undefined ? undefined : parse(key, raw, schema);
  }
}

/** Freezes a JSON-like value and everything in it: a hot value is shared by every reader, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parse<T>(key: string, raw: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(JSON.parse(raw));
  if (!result.success) {
    throw new CasemeshError("INTERNAL", `blackboard folder holds a malformed value at ${key}: ${result.error.message}`);
  }
  return result.data;
}
