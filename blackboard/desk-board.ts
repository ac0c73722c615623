import { createHash } from "node:crypto";
import type { KV, KvEntry } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { Capability, CaseId, Instant, WorkId } from "./contract-envelope.ts";
import { MAX_TEXT_CHARS } from "./contract-kinds.ts";
import {
  ConflictError,
  ContractViolationError,
  createIdGenerator,
  decodeJson,
  followKv,
  type IdGenerator,
  casDelete,
  casPut,
  NotFoundError,
  openFileBucket,
  systemClock,
  UnavailableError,
  type WallClock,
} from "../core/index.ts";

/**
 * The desk board: the NATS protocol between the gateways that hold human
 * agents' SignIn streams and the human-desk peer that bids for them and
 * makes them offers. Two JetStream KV buckets, no process in charge:
 *
 * - `casemesh_desk_agents`: one entry per signed-in agent, re-put on a
 *   heartbeat by the gateway holding the agent's stream. The bucket's max age
 *   is a few heartbeats, so a dead gateway's agents drop out by themselves.
 * - `casemesh_desk_offers`: one entry per offer of work to one agent. Offers
 *   are made with `create`; every state change is a compare-and-set on the
 *   entry's revision, so two gateways racing on one offer cannot both win.
 *
 * An offer id is `<agentId>.<token>`: the agent's offers are the keys under
 * `<agentId>.>`, so a SignIn stream watches its own offers with a filter the
 * server applies, however many offers other agents have.
 *
 * Every value read from either bucket is parsed with the schemas below.
 */

/** Signed-in agents, by agent id. */
export const DESK_AGENTS_BUCKET = "casemesh_desk_agents";
/** Offers of work to agents, by offer id. */
export const DESK_OFFERS_BUCKET = "casemesh_desk_offers";
/** How often the gateway holding a SignIn stream re-puts the agent's entry. */
export const DEFAULT_DESK_HEARTBEAT_MS = 1_000;
/** An agent entry not re-put for this many heartbeats is gone (the agents bucket's max age). */
export const DESK_TTL_HEARTBEATS = 3;
/** How long a settled offer is kept, for the record and for late retries. */
export const OFFER_RETENTION_MS = 7 * 24 * 3600_000;
/** The most skills one agent may sign in with. */
export const MAX_DESK_SKILLS = 32;
/** The most cases one agent may hold at once. */
export const MAX_DESK_CAPACITY = 50;
/** The longest note on an offer (a hand-back note, or why it was taken back). */
export const MAX_OFFER_NOTE_CHARS = 2_000;

/** An agent id: 1-64 letters, digits, `_` or `-`; a KV key and a subject token. */
export const AgentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
export type AgentId = z.infer<typeof AgentId>;

/** An offer id: `<agentId>.<token>`, the token 1-64 letters, digits, `_` or `-`. */
export const OfferId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}$/, "must be an offer id as offered: <agent id>.<token>");
export type OfferId = z.infer<typeof OfferId>;

/** A signed-in agent, as the gateway holding its SignIn stream announces it. */
export const DeskAgent = z.strictObject({
  agentId: AgentId,
  displayName: z.string().min(1).max(128),
  /** Capabilities the agent serves, e.g. `human.billing`. */
  skills: z.array(Capability).min(1).max(MAX_DESK_SKILLS),
  /** Cases the agent takes at once. */
  capacity: z.number().int().min(1).max(MAX_DESK_CAPACITY),
  /** Offers the agent accepted and has not finished (resolved or handed back). */
  active: z.number().int().min(0),
  /** The gateway holding the agent's SignIn stream. */
  gateway: z.string().min(1).max(255),
  /** One SignIn stream: tells the stream's own entry from a later sign-in's. */
  session: z.string().min(1).max(64),
  /** When the entry was last put. */
  at: Instant,
});
export type DeskAgent = z.infer<typeof DeskAgent>;

/** Where an offer stands. `offered` is the only state an offer leaves by the agent's decision. */
export const OfferState = z.enum(["offered", "accepted", "declined", "expired", "resolved", "handed_back"]);
export type OfferState = z.infer<typeof OfferState>;

/**
 * An offer of one need's work to one agent, reserved until `expiresAt`.
 * Unknown fields are kept (a loose object): a gateway updating an offer
 * written by a newer desk peer must not drop what it does not know.
 */
export const DeskOffer = z
  .looseObject({
    offerId: OfferId,
    agentId: AgentId,
    caseId: CaseId,
    needId: WorkId,
    capability: Capability,
    /** The case's version (log sequence) the offer was made at: what the agent is shown is read at least at it. */
    caseSeq: z.number().int().min(0),
    /** Why the case needs a human, and what the mesh already knows. */
    summary: z.string().min(1).max(MAX_TEXT_CHARS),
    expiresAt: Instant,
    state: OfferState,
    /** The hand-back note, or why the offer was taken back. */
    note: z.string().min(1).max(MAX_OFFER_NOTE_CHARS).optional(),
    /** The log sequence of the `case.resolved` fact of a resolved offer (a retried Resolve answers with it). */
    seq: z.number().int().positive().optional(),
    updatedAt: Instant,
  })
  .refine((o) => o.offerId.startsWith(`${o.agentId}.`), { path: ["offerId"], message: "must start with the agent id and a dot" });
export type DeskOffer = z.infer<typeof DeskOffer>;

/** What the desk peer says when it makes an offer; the board fills in the rest. */
export interface NewOffer {
  agentId: string;
  caseId: string;
  needId: string;
  capability: string;
  /** The case's version the desk peer saw (e.g. the sequence of the need it offers). */
  caseSeq: number;
  summary: string;
  /** ISO-8601 UTC instant with milliseconds: the end of the reservation. */
  expiresAt: string;
  /** The token after `<agentId>.`; pass a stable one to make a retried offer idempotent. @default a fresh ULID */
  token?: string;
}

/** What an offer may change besides its state. */
export interface OfferPatch {
  note?: string;
  seq?: number;
}

/** A value read from a bucket with the revision a compare-and-set needs. */
export interface Revisioned<T> {
  value: T;
  revision: number;
  /** Server time of the write, in ms since the epoch. */
  writtenAt: number;
}

/** What waiting on one offer ended with: the offer as last seen (undefined when there is none), and whether the deadline passed first. */
export interface OfferWaitResult {
  offer: DeskOffer | undefined;
  timedOut: boolean;
}

/** A change to the signed-in agents, as {@link DeskBoard.followAgents} reports it. */
export type AgentChange =
  | { op: "put"; agent: DeskAgent; liveUntil: number }
  | { op: "gone"; agentId: string }
  | { op: "malformed"; key: string };

/**
 * The offer token of a need: stable across re-runs and re-awards of the need,
 * so a later holder finds the offer an earlier one made.
 */
export function offerToken(needId: string): string {
  return createHash("sha256").update(needId, "utf8").digest("hex").slice(0, 32);
}

/** A change to an agent's offers, as a watch reports it. */
export type OfferChange =
  | { op: "put"; offer: DeskOffer; revision: number }
  /** Deleted or purged: the desk peer took the offer back. */
  | { op: "gone"; offerId: string; revision: number }
  | { op: "malformed"; key: string; revision: number; problem: string };

/** The state of an offer did not allow the change asked for. */
export class OfferStateError extends ConflictError {
  readonly offerId: string;
  readonly state: OfferState;

  constructor(offerId: string, state: OfferState, wanted: readonly OfferState[], to: OfferState) {
    super(`offer ${offerId} is ${state}; it can become ${to} only when ${wanted.join(" or ")}`);
    this.offerId = offerId;
    this.state = state;
  }
}

/** Options of {@link DeskBoard.open}. */
export interface DeskBoardOptions {
  /** Sets the agents bucket's max age (when this call creates it) and what counts as live. @default DEFAULT_DESK_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** @default 1 */
  replicas?: number;
  /** Stamps `updatedAt` and makes offer ids. @default systemClock */
  clock?: WallClock;
}

/** How many times a state change re-reads an offer that changed under it before giving up. */
const MAX_CAS_ATTEMPTS = 5;

/**
 * Both desk buckets. Entry ages are measured against the server's write
 * time with the wall clock (as presence does); `clock` only stamps values.
 */
export class DeskBoard {
  readonly #agents: KV;
  readonly #offers: KV;
  readonly #clock: WallClock;
  readonly #ids: IdGenerator;
  readonly #nc: NatsConnection;
  /** An agent entry older than this is not live. */
  readonly ttlMs: number;

  private constructor(nc: NatsConnection, agents: KV, offers: KV, ttlMs: number, clock: WallClock) {
    this.#nc = nc;
    this.#agents = agents;
    this.#offers = offers;
    this.ttlMs = ttlMs;
    this.#clock = clock;
    this.#ids = createIdGenerator(clock);
  }

  /** Opens both buckets, creating them if needed (file storage, so they survive a nats-server restart). */
  static async open(nc: NatsConnection, options: DeskBoardOptions = {}): Promise<DeskBoard> {
    const replicas = options.replicas ?? 1;
    const ttlMs = (options.heartbeatMs ?? DEFAULT_DESK_HEARTBEAT_MS) * DESK_TTL_HEARTBEATS;
    const [agents, offers] = await Promise.all([
      openFileBucket(nc, DESK_AGENTS_BUCKET, { ttlMs, replicas }),
      openFileBucket(nc, DESK_OFFERS_BUCKET, { ttlMs: OFFER_RETENTION_MS, replicas }),
    ]);
    return new DeskBoard(nc, agents, offers, ttlMs, options.clock ?? systemClock);
  }

  /** The agent's entry if it is live (put within the TTL). */
  async getAgent(agentId: string): Promise<Revisioned<DeskAgent> | undefined> {
    const entry = await kvRead(() => this.#agents.get(agentId), "agent");
    if (entry === null || entry.operation !== "PUT" || this.#stale(entry)) return undefined;
    const parsed = DeskAgent.safeParse(decodeJson(entry.value));
    return parsed.success ? revisioned(parsed.data, entry) : undefined;
  }

  /**
   * Puts a newly signed-in agent. Refuses with a {@link ConflictError} while
   * another sign-in of the same agent is live; takes over an entry whose TTL
   * has lapsed (its gateway died). Returns the entry's revision.
   */
  async signInAgent(agent: DeskAgent): Promise<number> {
    const body = JSON.stringify(DeskAgent.parse(agent));
    const current = await kvRead(() => this.#agents.get(agent.agentId), "agent");
    const live = current !== null && current.operation === "PUT" && !this.#stale(current);
    if (live) {
      const holder = DeskAgent.safeParse(decodeJson(current.value));
      const where = holder.success ? ` on gateway ${holder.data.gateway}` : "";
      throw new ConflictError(
        `agent_id: agent ${agent.agentId} is already signed in${where}; sign out there first, or retry once that desktop has been gone for ${this.ttlMs} ms`,
      );
    }
    const revision = await casPut(this.#agents, agent.agentId, body, current?.revision ?? 0, DESK_WRITE);
    if (revision === undefined) throw new ConflictError(`agent_id: agent ${agent.agentId} signed in elsewhere at the same moment`);
    return revision;
  }

  /**
   * Re-puts a signed-in agent's entry held at `revision` (a heartbeat).
   * Returns the new revision; a {@link ConflictError} when another sign-in
   * of the agent has taken the entry over (this one must end).
   */
  async putAgent(agent: DeskAgent, revision: number): Promise<number> {
    const body = JSON.stringify(DeskAgent.parse(agent));
    const updated = await casPut(this.#agents, agent.agentId, body, revision, DESK_WRITE);
    if (updated !== undefined) return updated;
    // The revision moved: our own earlier put whose answer was lost, the
    // entry aged out, or another sign-in took it.
    const current = await kvRead(() => this.#agents.get(agent.agentId), "agent");
    let retried: number | undefined;
    if (current === null || current.operation !== "PUT") {
      retried = await casPut(this.#agents, agent.agentId, body, 0, DESK_WRITE);
    } else if (DeskAgent.safeParse(decodeJson(current.value)).data?.session === agent.session) {
      retried = await casPut(this.#agents, agent.agentId, body, current.revision, DESK_WRITE);
    }
    if (retried === undefined) throw new ConflictError(`agent ${agent.agentId} has signed in elsewhere; this sign-in has ended`);
    return retried;
  }

  /**
   * Removes an agent's entry; with `revision`, only if it is still that one
   * (a sign-in that ended never removes the next one's). False when it was not.
   */
  async removeAgent(agentId: string, revision?: number): Promise<boolean> {
    return casDelete(this.#agents, agentId, revision, `removing desk agent ${agentId}`);
  }

  /** Every live agent, in key order. */
  async listAgents(): Promise<DeskAgent[]> {
    const keys: string[] = [];
    const iter = await kvRead(() => this.#agents.keys(), "agents");
    for await (const key of iter) keys.push(key);
    keys.sort();
    const found = await Promise.all(keys.map((k) => this.getAgent(k)));
    return found.flatMap((f) => (f === undefined ? [] : [f.value]));
  }

  /**
   * Makes an offer (state `offered`) with KV create. A {@link ConflictError}
   * when an offer with that id exists; a {@link ContractViolationError} naming
   * the field when the offer is malformed.
   */
  async createOffer(input: NewOffer): Promise<Revisioned<DeskOffer>> {
    const candidate = {
      offerId: `${input.agentId}.${input.token ?? this.#ids()}`,
      agentId: input.agentId,
      caseId: input.caseId,
      needId: input.needId,
      capability: input.capability,
      caseSeq: input.caseSeq,
      summary: input.summary,
      expiresAt: input.expiresAt,
      state: "offered",
      updatedAt: this.#now(),
    };
    const parsed = DeskOffer.safeParse(candidate);
    if (!parsed.success) {
      throw new ContractViolationError(
        "desk offer",
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      );
    }
    const offer = parsed.data;
    const revision = await casPut(this.#offers, offer.offerId, JSON.stringify(offer), 0, DESK_WRITE);
    if (revision === undefined) throw new ConflictError(`offer ${offer.offerId} already exists`);
    return { value: offer, revision, writtenAt: Date.now() };
  }

  /** An offer, or undefined when there is none (never made, taken back, or forgotten after retention). */
  async getOffer(offerId: string): Promise<Revisioned<DeskOffer> | undefined> {
    const entry = await kvRead(() => this.#offers.get(offerId), "offer");
    if (entry === null || entry.operation !== "PUT") return undefined;
    return revisioned(parseOffer(entry), entry);
  }

  /**
   * Every offer made to `agentId` as it is now, in key order: the keys under
   * `<agentId>.>`, filtered by the server. Offers that do not parse are left out.
   */
  async listOffers(agentId: string): Promise<DeskOffer[]> {
    const keys: string[] = [];
    const iter = await kvRead(() => this.#offers.keys(`${AgentId.parse(agentId)}.>`), "offers");
    for await (const key of iter) keys.push(key);
    keys.sort();
    const entries = await Promise.all(keys.map((k) => kvRead(() => this.#offers.get(k), "offer")));
    return entries.flatMap((e) => {
      if (e === null || e.operation !== "PUT") return [];
      const parsed = DeskOffer.safeParse(decodeJson(e.value));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /**
   * Moves an offer from one of `from` to `to` with a compare-and-set on its
   * revision, re-reading when another writer got in between. Throws an
   * {@link OfferStateError} when the offer is in another state, so of two
   * racing changes exactly one succeeds; a {@link NotFoundError} when there
   * is no such offer.
   */
  async transition(offerId: string, from: readonly OfferState[], to: OfferState, patch: OfferPatch = {}): Promise<Revisioned<DeskOffer>> {
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.getOffer(offerId);
      if (current === undefined) throw new NotFoundError(`offer_id: there is no offer ${offerId}`);
      if (!from.includes(current.value.state)) throw new OfferStateError(offerId, current.value.state, from, to);
      const next = DeskOffer.parse({ ...current.value, ...patch, state: to, updatedAt: this.#now() });
      const revision = await casPut(this.#offers, offerId, JSON.stringify(next), current.revision, DESK_WRITE);
      if (revision !== undefined) return { value: next, revision, writtenAt: Date.now() };
    }
    throw new UnavailableError(`offer ${offerId} kept changing; gave up after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  /**
   * Every offer of `agentId` (of every agent when undefined) as it is now,
   * then every change, until `signal` aborts. A watch that ends (a NATS
   * restart) is resumed after the last revision seen.
   */
  async *watchOffers(agentId: string | undefined, signal: AbortSignal): AsyncGenerator<OfferChange> {
    const key = agentId === undefined ? ">" : `${AgentId.parse(agentId)}.>`;
    for await (const entry of followKv(this.#offers, { key, signal, resume: "after-last", closed: () => this.#nc.isClosed() })) {
      yield offerChange(entry);
    }
  }

  /**
   * Every offer made under `token` (see {@link offerToken}), whatever agent it
   * went to, signed in or not: the keys `*.<token>`, filtered by the server.
   * Malformed entries are left out.
   */
  async findOffers(token: string): Promise<DeskOffer[]> {
    let entries: (KvEntry | null)[];
    try {
      const keys: string[] = [];
      for await (const key of await this.#offers.keys(`*.${token}`)) keys.push(key);
      keys.sort();
      entries = await Promise.all(keys.map((k) => this.#offers.get(k)));
    } catch (err) {
      throw new UnavailableError(`cannot read the desk offers of token ${token}: ${String(err)}`, { cause: err });
    }
    return entries.flatMap((e) => {
      if (e === null || e.operation !== "PUT") return [];
      const change = offerChange(e);
      return change.op === "put" ? [change.offer] : [];
    });
  }

  /**
   * Waits on one offer: a watch of its single key (the server filters; no
   * other offer is replayed), watched again if it ends, until `done` holds
   * for the offer as it is (undefined: deleted, malformed or never made), or
   * `deadlineMs` (wall clock; undefined for none) passes, with `timedOut`.
   * Rejects with the signal's reason when `signal` aborts.
   */
  async waitForOffer(offerId: string, done: (offer: DeskOffer | undefined) => boolean, deadlineMs: number | undefined, signal: AbortSignal): Promise<OfferWaitResult> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) stop.abort();
    let timedOut = false;
    const timer =
      deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop.abort();
          }, Math.max(0, deadlineMs - Date.now()));
    let last: DeskOffer | undefined;
    try {
      for await (const entry of followKv(this.#offers, { key: offerId, signal: stop.signal, closed: () => this.#nc.isClosed() })) {
        const change = offerChange(entry);
        last = change.op === "put" ? change.offer : undefined;
        if (done(last)) return { offer: last, timedOut: false };
      }
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
      if (!timedOut) throw new UnavailableError(`the desk board's connection closed while waiting on offer ${offerId}`);
      return { offer: last, timedOut: true };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Every signed-in agent's entry as it is now, then every change, until
   * `signal` aborts; a watch that ends is watched again from the start, so a
   * view kept from it is rebuilt whole. Each live entry comes with the
   * moment it stops being live ({@link DeskBoard.liveUntil}).
   */
  async *followAgents(signal: AbortSignal, onError?: (err: unknown, when: "open" | "ended") => void): AsyncGenerator<AgentChange> {
    for await (const entry of followKv(this.#agents, { signal, closed: () => this.#nc.isClosed(), ...(onError === undefined ? {} : { onError }) })) {
      if (entry.operation !== "PUT") {
        yield { op: "gone", agentId: entry.key };
        continue;
      }
      const parsed = DeskAgent.safeParse(decodeJson(entry.value));
      yield parsed.success ? { op: "put", agent: parsed.data, liveUntil: this.liveUntil(entry) } : { op: "malformed", key: entry.key };
    }
  }

  /**
   * The one staleness rule for agents: an entry is live until `ttlMs` after
   * its server write time (wall clock ms). nats-server 2.9 sends no delete
   * when max age removes an entry, so readers check the age themselves.
   */
  liveUntil(entry: KvEntry): number {
    return entry.created.getTime() + this.ttlMs;
  }

  #stale(entry: KvEntry): boolean {
    return this.liveUntil(entry) < Date.now();
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

/**
 * Opens the desk board on the first call and shares it with every later one;
 * a failed open is tried again on the next call. One per gateway, so its
 * services open the buckets once, and a gateway that serves no desk never
 * creates them.
 */
export function deskBoardOpener(nc: NatsConnection, options: DeskBoardOptions = {}): () => Promise<DeskBoard> {
  let opening: Promise<DeskBoard> | undefined;
  return () => {
    opening ??= DeskBoard.open(nc, options).catch((err: unknown) => {
      opening = undefined;
      throw new UnavailableError(`the desk board cannot be opened: ${String(err)}`, { cause: err });
    });
    return opening;
  };
}

function offerChange(entry: KvEntry): OfferChange {
  if (entry.operation !== "PUT") return { op: "gone", offerId: entry.key, revision: entry.revision };
  const parsed = DeskOffer.safeParse(decodeJson(entry.value));
  if (parsed.success) return { op: "put", offer: parsed.data, revision: entry.revision };
  const first = parsed.error.issues[0];
  return { op: "malformed", key: entry.key, revision: entry.revision, problem: `${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}` };
}

function parseOffer(entry: KvEntry): DeskOffer {
  const parsed = DeskOffer.safeParse(decodeJson(entry.value));
  if (parsed.success) return parsed.data;
  throw new UnavailableError(`offer ${entry.key} is malformed: ${parsed.error.issues[0]?.message ?? "invalid"}`, { retryable: false });
}

function revisioned<T>(value: T, entry: KvEntry): Revisioned<T> {
  return { value, revision: entry.revision, writtenAt: entry.created.getTime() };
}

/** What a failed desk board write is called in its error. */
const DESK_WRITE = "desk board write";

async function kvRead<T>(op: () => Promise<T>, what: string): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new UnavailableError(`cannot read the desk ${what}: ${String(err)}`, { cause: err });
  }
}
