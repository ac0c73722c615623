import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { Logger } from "pino";
import { Backoff, delay, followStream, FOLLOW_RETRY_MS, NotCaughtUpError } from "../core/index.ts";
import type { BlackboardMetrics } from "./metrics.ts";
import { type LearnKind, project, type LogMessage } from "./projector.ts";
import type { ProjectionStore } from "./projection-store.ts";
import { DEADLETTER_STREAM, FACTS_STREAM, deadLetterSubject } from "./subjects.ts";

/** How many readers may wait for a sequence at once; more are refused. */
export const MAX_SEQ_WAITERS = 10_000;
/** How a dead letter's publish is retried: 100 ms, doubling, at most 2 s apart. */
const DEAD_LETTER_RETRY = { initialMs: 100, maxMs: 2_000 };

interface Waiter {
  seq: number;
  resolve: () => void;
}

/**
 * Follows the facts stream from the projection's last applied sequence and
 * applies each message in one level batch. Readers can wait for a sequence
 * (read-your-writes). It never skips or repeats a message: on any consumer
 * error it starts again after the last committed sequence.
 */
export class Applier {
  readonly #store: ProjectionStore;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #metrics: BlackboardMetrics;
  readonly #log: Logger;
  readonly #learn: LearnKind | undefined;
  #lastSeq = 0;
  #waiters: Waiter[] = [];
  readonly #stop = new AbortController();
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(store: ProjectionStore, js: JetStreamClient, jsm: JetStreamManager, metrics: BlackboardMetrics, log: Logger, learn?: LearnKind) {
    this.#learn = learn;
    this.#store = store;
    this.#js = js;
    this.#jsm = jsm;
    this.#metrics = metrics;
    this.#log = log;
  }

  /** The sequence of the last log message applied. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  async start(): Promise<void> {
    this.#lastSeq = await this.#store.lastSeq();
    this.#metrics.appliedSeq.set(this.#lastSeq);
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    await this.#loop;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
  }

  /** Resolves once `seq` is applied; rejects with {@link NotCaughtUpError} after `timeoutMs`. */
  async waitFor(seq: number, timeoutMs: number): Promise<void> {
    if (seq <= this.#lastSeq) return;
    if (this.#waiters.length >= MAX_SEQ_WAITERS) {
      throw new NotCaughtUpError(`replica is at sequence ${this.#lastSeq} with ${MAX_SEQ_WAITERS} readers waiting; try again`);
    }
    let timer: NodeJS.Timeout | undefined;
    const waiter: Waiter = { seq, resolve: () => undefined };
    try {
      await new Promise<void>((resolve, reject) => {
        waiter.resolve = resolve;
        this.#waiters.push(waiter);
        timer = setTimeout(
          () =>
            reject(
              new NotCaughtUpError(`replica reached sequence ${this.#lastSeq}, not ${seq}, within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
    }
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    const onError = (err: unknown) => this.#log.warn({ err: String(err), lastSeq: this.#lastSeq }, "fact consumer interrupted; resuming after last applied sequence");
    while (!this.#stopped) {
      try {
        // Follows the log until stopped; it ends early only when applying a message failed.
        for await (const m of followStream(this.#js, FACTS_STREAM, { afterSeq: this.#lastSeq, maxMessages: 1_000, signal, onError })) {
          if (m.seq <= this.#lastSeq) continue;
          await this.#apply(m);
        }
      } catch (err) {
        if (this.#stopped) break;
        onError(err);
      }
      if (!this.#stopped) await delay(FOLLOW_RETRY_MS, signal);
    }
  }

  async #apply(m: JsMsg): Promise<void> {
    const started = performance.now();
    const msg: LogMessage = {
      seq: m.seq,
      subject: m.subject,
      data: m.data,
      headers: m.headers,
      storedAt: new Date(Math.floor(m.info.timestampNanos / 1e6)).toISOString(),
    };
    const { ops, outcome } = await project(this.#store, msg, this.#learn);
    if (outcome.type === "dead_letter") await this.#publishDeadLetter(msg, outcome.deadLetter);
    await this.#store.commit(m.seq, ops);
    this.#lastSeq = m.seq;
    this.#metrics.appliedSeq.set(m.seq);
    this.#metrics.applyDuration.observe((performance.now() - started) / 1000);
    switch (outcome.type) {
      case "projected":
        this.#metrics.projected.inc({ kind: outcome.fact.kind });
        break;
      case "dead_letter":
        this.#metrics.deadLetters.inc({ reason: outcome.deadLetter.reason });
        this.#metrics.violations.inc({ kind: outcome.kind, stage: "blackboard" });
        this.#log.warn({ seq: m.seq, subject: m.subject, reason: outcome.deadLetter.reason, detail: outcome.deadLetter.detail }, "fact dead-lettered");
        break;
      case "conflict":
        this.#metrics.conflicts.inc();
        break;
    }
    if (this.#waiters.length > 0) {
      for (const w of this.#waiters) if (w.seq <= m.seq) w.resolve();
    }
  }

  /**
   * Records a dead letter in the dead-letter stream, once: every replica (and a
   * rebuild long after) looks for the sequence's own subject first, and
   * publishes with the same msg id. Retries until NATS takes it: the projection
   * must not move past a message whose dead letter is not recorded.
   */
  async #publishDeadLetter(msg: LogMessage, deadLetter: unknown): Promise<void> {
    const subject = deadLetterSubject(msg.seq);
    const backoff = new Backoff(DEAD_LETTER_RETRY);
    for (;;) {
      try {
        if (await this.#deadLetterRecorded(subject)) return;
        await this.#js.publish(subject, JSON.stringify(deadLetter), { msgID: `dl:${msg.seq}`, timeout: 2_000 });
        return;
      } catch (err) {
        if (this.#stopped) throw err;
        this.#log.warn({ err: String(err), seq: msg.seq }, "dead-letter publish failed; retrying");
        await backoff.wait(this.#stop.signal);
      }
    }
  }

  async #deadLetterRecorded(subject: string): Promise<boolean> {
    // nats.js v3 answers null for "no message found" (JetStream API code 10037).
    return (await this.#jsm.streams.getMessage(DEADLETTER_STREAM, { last_by_subj: subject })) !== null;
  }
}
