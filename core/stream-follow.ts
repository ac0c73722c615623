import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { delay } from "./backoff.ts";

/** How long a stream follower waits before opening a new consumer after the last one ended. */
export const FOLLOW_RETRY_MS = 250;

export interface FollowStreamOptions {
  /** Yield messages after this stream sequence (0: from the start). */
  afterSeq: number;
  /** A subject filter on the stream. @default every subject */
  subject?: string;
  /** Messages pulled at once. */
  maxMessages: number;
  /** Ends the follow. */
  signal: AbortSignal;
  /** @default FOLLOW_RETRY_MS */
  retryMs?: number;
  /** Told when a consumer could not be opened (`"open"`) or failed (`"ended"`). */
  onError?: (err: unknown, when: "open" | "ended") => void;
  /** Stops following when true (a closed connection). */
  closed?: () => boolean;
  /** Throw, instead of retrying, when the first consumer cannot be opened (the caller fails fast). @default false */
  failFirstOpen?: boolean;
}

/**
 * The one resumable read of a stream in order: yields every message after
 * `afterSeq` once, in stream order, through an ordered consumer, until
 * `signal` aborts or `closed()` holds. Breaking out of the loop stops it.
 *
 * When the server loses the consumer (a nats-server restart), nats.js v3
 * recreates it but keeps counting the pulls the old one had outstanding, so
 * it asks for no more messages until two idle heartbeats are missed (about
 * 30 s). So this ends that consumer at its `reset` notice and, after
 * `retryMs`, opens a new one after the last message yielded.
 */
export async function* followStream(js: JetStreamClient, stream: string, options: FollowStreamOptions): AsyncGenerator<JsMsg> {
  const { signal } = options;
  const retryMs = options.retryMs ?? FOLLOW_RETRY_MS;
  let last = options.afterSeq;
  let first = true;
  while (!signal.aborted && !(options.closed?.() ?? false)) {
    let messages: ConsumerMessages | undefined;
    try {
      const consumer = await js.consumers.get(stream, { opt_start_seq: last + 1, ...(options.subject === undefined ? {} : { filter_subjects: options.subject }) });
      messages = await consumer.consume({ max_messages: options.maxMessages });
    } catch (err) {
      if (first && options.failFirstOpen === true) throw err;
      options.onError?.(err, "open");
    }
    first = false;
    if (messages !== undefined) {
      const m = messages;
      const stop = () => m.stop();
      signal.addEventListener("abort", stop, { once: true });
      if (signal.aborted) m.stop();
      void endOnReset(m);
      try {
        for await (const msg of m) {
          if (signal.aborted) break;
          if (msg.seq <= last) continue;
          last = msg.seq;
          yield msg;
        }
      } catch (err) {
        options.onError?.(err, "ended");
      } finally {
        signal.removeEventListener("abort", stop);
        m.stop();
      }
    }
    if (!signal.aborted) await delay(retryMs, signal);
  }
}

/** Stops `messages` when nats.js reports it is recreating its ordered consumer. */
async function endOnReset(messages: ConsumerMessages): Promise<void> {
  for await (const notice of messages.status()) {
    if (notice.type === "reset") {
      messages.stop();
      return;
    }
  }
}
