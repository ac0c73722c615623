import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { factKindFilter, FACTS_STREAM } from "../blackboard/index.ts";
import { delay, isJetStreamApiError, JS_API_CODES } from "../core/index.ts";

/** The durable consumer every peer process pulls needs from. */
export const NEEDS_CONSUMER = "casemesh-needs";
/** Needs in flight (being auctioned or supervised) across the mesh. */
export const MAX_NEEDS_IN_FLIGHT = 50_000;
/** How long the consumer waits before pulling again after it was interrupted. */
const RESUME_MS = 250;

/**
 * Creates the shared durable consumer over `need.opened` facts. Its ack wait
 * is the lease: a process supervising a need keeps telling JetStream it is
 * working; if it dies, the need is redelivered to another process within one
 * lease.
 */
export async function ensureNeedsConsumer(jsm: JetStreamManager, leaseMs: number, log: Logger): Promise<void> {
  try {
    const info = await jsm.consumers.info(FACTS_STREAM, NEEDS_CONSUMER);
    if (info.config.ack_wait !== nanos(leaseMs)) {
      log.warn({ ackWaitMs: (info.config.ack_wait ?? 0) / 1e6, leaseMs }, "the needs consumer was created with another lease; every process must use the same CASEMESH_LEASE_MS");
    }
    return;
  } catch (err) {
    if (!isJetStreamApiError(err, JS_API_CODES.ConsumerNotFound)) throw err;
  }
  try {
    await jsm.consumers.add(FACTS_STREAM, {
      durable_name: NEEDS_CONSUMER,
      filter_subject: factKindFilter("need.opened"),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(leaseMs),
      max_deliver: -1,
      max_ack_pending: MAX_NEEDS_IN_FLIGHT,
    });
  } catch (err) {
    // Another process created it between our info and add: fine.
    if (!isJetStreamApiError(err, JS_API_CODES.ConsumerNameExists, JS_API_CODES.ConsumerExistingActive, JS_API_CODES.ConsumerAlreadyExists)) throw err;
  }
}

/** Pulls needs and hands each one to `onNeed`, reconnecting after any error, until stopped. */
export class NeedsConsumer {
  #messages: ConsumerMessages | undefined;
  #stopped = false;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly log: Logger,
    private readonly onNeed: (msg: JsMsg) => void,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    this.#messages?.stop();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const consumer = await this.js.consumers.get(FACTS_STREAM, NEEDS_CONSUMER);
        this.#messages = await consumer.consume({ max_messages: 64 });
        if (this.#stopped) this.#messages.stop();
        for await (const msg of this.#messages) this.onNeed(msg);
      } catch (err) {
        if (this.#stopped) break;
        this.log.warn({ err: String(err) }, "needs consumer interrupted; resuming");
      }
      if (!this.#stopped) await delay(RESUME_MS, this.#stop.signal);
    }
  }
}
