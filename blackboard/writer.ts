import { jetstream, jetstreamManager, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import {
  Backoff,
  CasemeshError,
  ConfigError,
  ConflictError,
  ContractViolationError,
  isJetStreamApiError,
  isNatsTransient,
  JS_API_CODES,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from "../core/index.ts";
import { createIdGenerator, type IdGenerator, type MeshClock, systemMeshClock } from "../core/index.ts";
import { counter, histogram } from "../observability/index.ts";
import type { FactSource } from "./contract-envelope.ts";
import { isFactKind, type FactData, type FactKind } from "./contract-kinds.ts";
import { factRegistry } from "./contract-registry.ts";
import { MAX_FACT_BYTES, inspectFact, type Fact, type FactOf } from "./contracts.ts";
import { contractViolations } from "./metrics.ts";
import { ensureStreams, streamSettings, type StreamSettings } from "./streams.ts";
import { EXPECT_CASE_SEQ_HEADER, FACTS_STREAM, TRACEPARENT_HEADER, factSubject } from "./subjects.ts";

/** Appends in flight at once per writer; more wait their turn (backpressure). */
export const DEFAULT_MAX_IN_FLIGHT = 256;
/** How long one append may take, retries included, before it fails. */
export const DEFAULT_APPEND_TIMEOUT_MS = 30_000;
/** How long to wait for one publish acknowledgement before trying again. */
export const DEFAULT_ACK_TIMEOUT_MS = 2_000;
/** How an unacknowledged append is retried: 50 ms, doubling, at most 1 s apart. */
const APPEND_RETRY = { initialMs: 50, maxMs: 1_000 };

/** What a caller writes: the writer fills in id, time, version and source. */
export interface FactDraft<K extends FactKind = FactKind> {
  caseId: string;
  kind: K;
  data: FactData<K>;
  causedBy?: string | null;
  needId?: string | null;
  traceparent?: string | null;
  /** Overrides the writer's source (a process hosting several peers). */
  source?: FactSource;
}

export interface AppendOptions {
  /**
   * The deduplication key. A step that may run again should pass a key that
   * is stable across runs, e.g. `<needId>:<kind>`. @default the fact id
   */
  msgId?: string;
  /**
   * Optimistic concurrency: append only if the case's last projected fact has
   * this sequence (0 for a case with no facts). Throws {@link ConflictError}
   * otherwise. Needs `verdicts` in the writer options.
   */
  expectedCaseSeq?: number;
}

/** An acknowledged append. */
export interface Appended<K extends FactKind = FactKind> {
  /** The stream sequence of the fact: pass it as `minSeq` to read your write. */
  seq: number;
  /** True when the msg id had been stored before; `seq` is then the original's. */
  duplicate: boolean;
  msgId: string;
  fact: FactOf<K>;
}

/** Where a fact ended up on the blackboard, as the projection decided. */
export type FactVerdict =
  | { status: "projected" }
  | { status: "conflict"; reason: string }
  | { status: "dead_letter"; reason: string };

/** Tells the writer what became of an optimistic append; a blackboard client does. */
export interface VerdictSource {
  factVerdict(seq: number): Promise<FactVerdict>;
}

export interface FactWriterOptions {
  nc: NatsConnection;
  /** Stamped on every fact unless a draft brings its own. */
  source: FactSource;
  clock?: MeshClock;
  ids?: IdGenerator;
  registry?: Registry;
  /** @default DEFAULT_MAX_IN_FLIGHT */
  maxInFlight?: number;
  /** @default DEFAULT_APPEND_TIMEOUT_MS */
  appendTimeoutMs?: number;
  /** @default DEFAULT_ACK_TIMEOUT_MS */
  ackTimeoutMs?: number;
  /** Required for `expectedCaseSeq`. */
  verdicts?: VerdictSource;
}

/**
 * The blackboard writer, used by every process. It checks each fact against
 * its contract before it leaves the process, appends it to the facts stream
 * deduplicated by `Nats-Msg-Id`, pipelines appends up to a bound, retries
 * through NATS restarts with the same msg id, and returns the stream sequence.
 */
export class FactWriter {
  readonly #js: JetStreamClient;
  readonly #source: FactSource;
  readonly #clock: MeshClock;
  readonly #ids: IdGenerator;
  readonly #maxInFlight: number;
  readonly #appendTimeoutMs: number;
  readonly #ackTimeoutMs: number;
  readonly #verdicts: VerdictSource | undefined;
  readonly #nc: NatsConnection;
  #inFlight = 0;
  #lastSeq = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #metrics;

  constructor(options: FactWriterOptions) {
    this.#nc = options.nc;
    this.#js = jetstream(options.nc);
    this.#source = options.source;
    this.#clock = options.clock ?? systemMeshClock;
    this.#ids = options.ids ?? createIdGenerator(this.#clock);
    this.#maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.#appendTimeoutMs = options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.#verdicts = options.verdicts;
    this.#metrics = options.registry === undefined ? undefined : writerMetrics(options.registry);
  }

  /** The highest sequence this writer has had acknowledged: a read with it as `minSeq` sees every write made so far. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Creates a writer after making sure the streams exist. */
  static async create(options: FactWriterOptions & StreamSettings): Promise<FactWriter> {
    await ensureStreams(await jetstreamManager(options.nc), streamSettings(options));
    return new FactWriter(options);
  }

  /** Builds and checks a fact from a draft without appending it. */
  build<K extends FactKind>(draft: FactDraft<K>): FactOf<K> {
    const candidate = {
      id: this.#ids(),
      caseId: draft.caseId,
      kind: draft.kind,
      v: factRegistry.contract(draft.kind)?.v ?? 0,
      at: new Date(this.#clock.now()).toISOString(),
      source: draft.source ?? this.#source,
      causedBy: draft.causedBy ?? null,
      needId: draft.needId ?? null,
      traceparent: draft.traceparent ?? null,
      data: draft.data,
    };
    const checked = inspectFact(candidate);
    if (!checked.ok) {
      this.#metrics?.violations.inc({ kind: labelKind(draft.kind), stage: "writer" });
      throw new ContractViolationError(checked.contract, checked.issues);
    }
    return checked.fact as FactOf<K>;
  }

  /**
   * Checks and appends one fact. Resolves once JetStream has stored it (or
   * recognised it as a duplicate); rejects with a {@link ContractViolationError}
   * naming the field, a {@link TooLargeError}, a {@link ConflictError}, or a
   * {@link TimeoutError} when the server stayed away past the append timeout.
   */
  async append<K extends FactKind>(draft: FactDraft<K>, options: AppendOptions = {}): Promise<Appended<K>> {
    const fact = this.build(draft);
    return this.appendFact(fact, options);
  }

  /** Appends facts in order, pipelined; resolves with each one's sequence. */
  async appendAll(drafts: readonly FactDraft[], options: { msgIds?: readonly string[] } = {}): Promise<Appended[]> {
    const facts = drafts.map((d) => this.build(d));
    return Promise.all(
      facts.map((fact, i) => {
        const msgId = options.msgIds?.[i];
        return this.appendFact(fact, msgId === undefined ? {} : { msgId });
      }),
    );
  }

  /** Appends an already built fact (e.g. one re-sent after a crash). */
  async appendFact<K extends FactKind>(fact: FactOf<K>, options: AppendOptions = {}): Promise<Appended<K>> {
    const body = Buffer.from(JSON.stringify(fact));
    if (body.byteLength > MAX_FACT_BYTES) {
      throw new TooLargeError(`fact ${fact.kind} is ${body.byteLength} bytes; the limit is ${MAX_FACT_BYTES}`);
    }
    if (options.expectedCaseSeq !== undefined && this.#verdicts === undefined) {
      throw new ConfigError("expectedCaseSeq needs a writer created with `verdicts`");
    }
    const msgId = options.msgId ?? fact.id;
    const hdrs = natsHeaders();
    if (fact.traceparent !== null) hdrs.set(TRACEPARENT_HEADER, fact.traceparent);
    if (options.expectedCaseSeq !== undefined) hdrs.set(EXPECT_CASE_SEQ_HEADER, String(options.expectedCaseSeq));

    await this.#acquire();
    const started = performance.now();
    let ack: PubAck;
    try {
      ack = await this.#publishWithRetry(factSubject(fact.caseId, fact.kind), body, msgId, hdrs);
    } catch (err) {
      this.#metrics?.appended.inc({ kind: fact.kind, outcome: "failed" });
      throw err;
    } finally {
      this.#release();
    }
    this.#metrics?.duration.observe((performance.now() - started) / 1000);
    this.#metrics?.appended.inc({ kind: fact.kind, outcome: ack.duplicate ? "duplicate" : "stored" });
    if (ack.seq > this.#lastSeq) this.#lastSeq = ack.seq;

    if (options.expectedCaseSeq !== undefined && this.#verdicts !== undefined) {
      const verdict = await this.#verdicts.factVerdict(ack.seq);
      if (verdict.status === "conflict") throw new ConflictError(verdict.reason);
      if (verdict.status === "dead_letter") throw new CasemeshError("CONTRACT_VIOLATION", verdict.reason);
    }
    return { seq: ack.seq, duplicate: ack.duplicate, msgId, fact };
  }

  async #publishWithRetry(
    subject: string,
    body: Uint8Array,
    msgId: string,
    hdrs: MsgHdrs,
  ): Promise<PubAck> {
    const deadline = Date.now() + this.#appendTimeoutMs;
    const backoff = new Backoff(APPEND_RETRY);
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      if (this.#nc.isClosed()) throw new UnavailableError("the NATS connection is closed", { cause: lastError });
      try {
        const ack = await this.#js.publish(subject, body, {
          msgID: msgId,
          headers: hdrs,
          expect: { streamName: FACTS_STREAM },
          timeout: Math.max(100, Math.min(this.#ackTimeoutMs, deadline - Date.now())),
        });
        return ack;
      } catch (err) {
        lastError = err;
        if (!isNatsTransient(err)) {
          if (isJetStreamApiError(err, JS_API_CODES.MessageTooLarge)) {
            throw new TooLargeError(`fact is too large for the stream: ${String(err)}`, { cause: err });
          }
          throw new UnavailableError(`append to ${subject} failed: ${String(err)}`, { cause: err, retryable: false });
        }
        if (Date.now() + backoff.peek() >= deadline) {
          throw new TimeoutError(
            `append to ${subject} not acknowledged after ${attempt} attempts in ${this.#appendTimeoutMs} ms: ${String(err)}`,
            { cause: err },
          );
        }
        this.#metrics?.retries.inc();
        await backoff.wait();
      }
    }
  }

  async #acquire(): Promise<void> {
    if (this.#inFlight < this.#maxInFlight) {
      this.#inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#inFlight--;
  }
}

function labelKind(kind: string): string {
  return isFactKind(kind) ? kind : "unknown";
}

function writerMetrics(registry: Registry) {
  return {
    appended: counter(registry, {
      name: "casemesh_facts_appended_total",
      help: "Facts appended to the log by this process, by kind and outcome (stored, duplicate, failed).",
      labelNames: ["kind", "outcome"] as const,
    }),
    violations: contractViolations(registry),
    retries: counter(registry, {
      name: "casemesh_fact_append_retries_total",
      help: "Publish attempts repeated because NATS did not acknowledge in time.",
    }),
    duration: histogram(registry, {
      name: "casemesh_fact_append_duration_seconds",
      help: "Time from publishing a fact to its acknowledgement, retries included.",
    }),
  };
}

export type { Fact };
