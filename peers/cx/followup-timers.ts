import { createHash } from "node:crypto";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { BlackboardClient, FACTS_STREAM, FactWriter, type PendingTimer, type StoredFact } from "../../blackboard/index.ts";
import { asCasemeshError, type MeshClock } from "../../core/index.ts";
import { counter, gauge } from "../../observability/index.ts";

/**
 * The follow-up peer's timer loop. Every tick it asks the blackboard for the
 * timers due at its clock's now and fires each one: it opens the timer's
 * action as a need (or, when the case already holds one of the timer's
 * `cancelIf` kinds, opens nothing) and then records `timer.fired`.
 *
 * Exactly once, across crashes and racing copies:
 * - every fact has a msg id derived from the timer (its id and the sequence of
 *   the `timer.set` that armed it), so two loops firing the same timer at once,
 *   or a restarted loop re-firing it, write each fact once;
 * - the need is written before `timer.fired`: a crash between the two leaves
 *   the timer pending, and the next tick re-fires into the same need id, which
 *   the case read finds (past the dedup window) or JetStream deduplicates;
 * - the projection drops a fired timer, so later ticks do not see it again;
 * - reads wait for the log's head sequence at the start of the tick, so a
 *   blackboard that is behind neither offers a timer that has already fired nor
 *   hides the fact that cancels it.
 */

/** How often the loop looks for due timers. */
export const DEFAULT_TIMER_TICK_MS = 1_000;
/** Due timers fetched per query; a full batch is followed by another at once. */
export const DEFAULT_TIMER_BATCH = 100;

/** What became of one due timer in this loop. */
export type TimerOutcome =
  /** The action's need was opened and `timer.fired` names it. */
  | "fired"
  /** The case held a cancelling fact: `timer.fired` with `needId: null`, nothing opened. */
  | "cancelled"
  /** Another loop (or an earlier run of this one) recorded the firing first. */
  | "duplicate"
  /** A newer `timer.set` re-armed the timer; the next tick sees the new one. */
  | "rearmed";

/** One tick's work. */
export interface TickReport {
  /** Due timers the blackboard returned. */
  due: number;
  fired: number;
  cancelled: number;
  /** Firings another loop recorded first, and re-armed timers. */
  skipped: number;
  /** Timers whose firing failed; they stay pending for the next tick. */
  failed: number;
}

/** What a timer loop needs. */
export interface TimerLoopOptions {
  nc: NatsConnection;
  /** Decides what is due. A test passes a ManualClock; a process, `clockFromEnv()`. */
  clock: MeshClock;
  registry: Registry;
  logger: Logger;
  /** Stamped as the source peer of the facts the loop writes. */
  peerId: string;
  /** @default "1.0.0" */
  version?: string;
  dedupWindowMs: number;
  streamReplicas?: number;
  /** @default DEFAULT_TIMER_TICK_MS */
  tickMs?: number;
  /** @default DEFAULT_TIMER_BATCH */
  batch?: number;
  /**
   * Called after a firing's need is written and before its `timer.fired`: the
   * crash window. Tests use it to die there; a throw leaves the timer pending.
   */
  beforeFired?: (timer: PendingTimer, needId: string) => void | Promise<void>;
}

/** The capability stamped on facts the loop writes. */
export const TIMER_SOURCE_CAPABILITY = "followup.timer";

/**
 * The id of the need a timer opens when it fires: `<timerId>.fire.<setSeq>`,
 * the same in every process, and new when the timer is set again. A timer id
 * too long for that gets a hash instead.
 */
export function fireNeedId(timerId: string, setSeq: number): string {
  const id = `${timerId}.fire.${setSeq}`;
  return id.length <= 128 ? id : `t-${createHash("sha256").update(timerId).digest("hex").slice(0, 40)}.fire.${setSeq}`;
}

/** The msg id of a timer's `timer.fired` fact: one per arming, whether it fired or was cancelled. */
export function firedMsgId(timerId: string, setSeq: number): string {
  return `${timerId}.${setSeq}.fired`;
}

/** The metrics of the timer loop. */
export function timerMetrics(registry: Registry) {
  return {
    fired: counter(registry, {
      name: "casemesh_timers_fired_total",
      help: "Due timers this process recorded as fired (a need opened) or cancelled (the case held a cancelling fact).",
      labelNames: ["outcome"] as const,
    }),
    overdue: gauge(registry, {
      name: "casemesh_timers_overdue",
      help: "Timers past their due time that this process saw and has not fired yet.",
    }),
  };
}

/**
 * Fires due timers on a tick. `start()` runs it; `tick()` runs one pass (a
 * tick already in progress is joined, never run twice at once); `stop()` waits
 * for the pass in progress.
 */
export class TimerLoop {
  readonly #client: BlackboardClient;
  readonly #writer: FactWriter;
  readonly #nc: NatsConnection;
  readonly #clock: MeshClock;
  readonly #log: Logger;
  readonly #tickMs: number;
  readonly #batch: number;
  readonly #metrics: ReturnType<typeof timerMetrics>;
  readonly #beforeFired: TimerLoopOptions["beforeFired"];
  #jsm: Promise<JetStreamManager> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickReport> | undefined;
  #stopped = true;

  private constructor(options: TimerLoopOptions, writer: FactWriter) {
    this.#nc = options.nc;
    this.#client = new BlackboardClient(options.nc);
    this.#writer = writer;
    this.#clock = options.clock;
    this.#log = options.logger.child({ peerId: options.peerId, component: "timers" });
    this.#tickMs = options.tickMs ?? DEFAULT_TIMER_TICK_MS;
    this.#batch = options.batch ?? DEFAULT_TIMER_BATCH;
    this.#metrics = timerMetrics(options.registry);
    this.#beforeFired = options.beforeFired;
    this.#metrics.fired.inc({ outcome: "fired" }, 0);
    this.#metrics.fired.inc({ outcome: "cancelled" }, 0);
  }

  /** Creates a loop (making sure the streams exist); call `start()` to run it. */
  static async create(options: TimerLoopOptions): Promise<TimerLoop> {
    const writer = await FactWriter.create({
      nc: options.nc,
      source: { peer: options.peerId, capability: TIMER_SOURCE_CAPABILITY, version: options.version ?? "1.0.0" },
      registry: options.registry,
      dedupWindowMs: options.dedupWindowMs,
      // timer.fired is stamped with the time the timer was due by.
      clock: options.clock,
      ...(options.streamReplicas === undefined ? {} : { replicas: options.streamReplicas }),
    });
    return new TimerLoop(options, writer);
  }

  /** Ticks every `tickMs`, the first at once. */
  start(): this {
    if (!this.#stopped) return this;
    this.#stopped = false;
    this.#log.info({ tickMs: this.#tickMs }, "timer loop started");
    this.#schedule(0);
    return this;
  }

  /** Stops ticking and waits for the tick in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Runs one pass now, or joins the one in progress. */
  tick(): Promise<TickReport> {
    if (this.#running === undefined) {
      this.#running = this.#pass().finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.tick()
        .catch((err: unknown) => this.#log.warn({ err: asCasemeshError(err).message }, "timer tick failed; trying again next tick"))
        .finally(() => this.#schedule(this.#tickMs));
    }, delayMs);
  }

  async #pass(): Promise<TickReport> {
    const report: TickReport = { due: 0, fired: 0, cancelled: 0, skipped: 0, failed: 0 };
    // Timers handled (or failed) in this pass, by arming: a full batch is followed by another, never by the same timers.
    const seen = new Set<string>();
    let failed = 0;
    for (;;) {
      // Everything in the log up to here is read before a decision: the head is the reads' minSeq.
      const head = await this.#headSeq();
      const before = new Date(this.#clock.now()).toISOString();
      const { timers } = await this.#client.listDueTimers({ before, limit: this.#batch, minSeq: head });
      const todo = timers.filter((t) => !seen.has(`${t.timerId}@${t.setSeq}`));
      this.#metrics.overdue.set(todo.length + failed);
      report.due += todo.length;
      for (const timer of todo) {
        seen.add(`${timer.timerId}@${timer.setSeq}`);
        try {
          const outcome = await this.#fire(timer, head);
          if (outcome === "fired") report.fired++;
          else if (outcome === "cancelled") report.cancelled++;
          else report.skipped++;
          this.#metrics.overdue.dec();
        } catch (err) {
          failed++;
          report.failed++;
          this.#log.warn({ caseId: timer.caseId, timerId: timer.timerId, err: asCasemeshError(err).message }, "timer not fired; trying again next tick");
        }
      }
      if (timers.length < this.#batch || todo.length === 0) break;
    }
    this.#metrics.overdue.set(failed);
    return report;
  }

  /** The last sequence in the facts stream. */
  async #headSeq(): Promise<number> {
    this.#jsm ??= jetstreamManager(this.#nc);
    const jsm = await this.#jsm.catch((err: unknown) => {
      this.#jsm = undefined;
      throw err;
    });
    const info = await jsm.streams.info(FACTS_STREAM);
    return info.state.last_seq;
  }

  async #fire(timer: PendingTimer, head: number): Promise<TimerOutcome> {
    const log = this.#log.child({ caseId: timer.caseId, timerId: timer.timerId });
    const { case: state, facts } = await this.#client.getCase({ caseId: timer.caseId, minSeq: head, afterSeq: timer.setSeq - 1 });
    const about = (f: StoredFact, kind: string) => f.fact.kind === kind && (f.fact.data as { timerId?: unknown }).timerId === timer.timerId;
    if (facts.some((f) => f.seq > timer.setSeq && about(f, "timer.set"))) return "rearmed";
    if (facts.some((f) => f.seq > timer.setSeq && about(f, "timer.fired"))) return "duplicate";
    const setFact = facts.find((f) => f.seq === timer.setSeq)?.fact;
    const base = {
      caseId: timer.caseId,
      needId: setFact?.needId ?? null,
      causedBy: setFact?.id ?? null,
      traceparent: setFact?.traceparent ?? null,
    };
    const lateMs = this.#clock.now() - Date.parse(timer.dueAt);
    const cancelledBy = timer.cancelIf.find((kind) => state.kinds.includes(kind));
    const msgId = firedMsgId(timer.timerId, timer.setSeq);
    if (cancelledBy !== undefined) {
      const fired = await this.#writer.append({ ...base, kind: "timer.fired", data: { timerId: timer.timerId, needId: null } }, { msgId });
      if (fired.duplicate) return "duplicate";
      this.#metrics.fired.inc({ outcome: "cancelled" });
      log.info({ cancelledBy, lateMs, seq: fired.seq }, "timer cancelled");
      return "cancelled";
    }
    const needId = fireNeedId(timer.timerId, timer.setSeq);
    // A crash after the need and before timer.fired re-fires here: the need is found (or deduplicated), never opened twice.
    const alreadyOpened = facts.some((f) => f.fact.kind === "need.opened" && (f.fact.data as { needId?: unknown }).needId === needId);
    if (!alreadyOpened) {
      await this.#writer.append(
        {
          ...base,
          kind: "need.opened",
          data: { needId, capability: timer.action.capability, input: timer.action.input, requires: [], attempt: 1, fallback: null },
        },
        { msgId: `${needId}.opened` },
      );
    }
    await this.#beforeFired?.(timer, needId);
    const fired = await this.#writer.append({ ...base, kind: "timer.fired", data: { timerId: timer.timerId, needId } }, { msgId });
    if (fired.duplicate) return "duplicate";
    this.#metrics.fired.inc({ outcome: "fired" });
    log.info({ needId, capability: timer.action.capability, lateMs, seq: fired.seq }, "timer fired");
    return "fired";
  }
}
