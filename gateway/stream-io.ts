import type { Readable, Writable } from "node:stream";

/**
 * Reading and writing gRPC streams with backpressure, for every streaming
 * handler of the gateway.
 */

/** Requests buffered from one client stream before it is paused. */
export const INBOX_HIGH_WATER = 16;

/**
 * The requests of a client stream, one at a time, until the client closes its
 * side or `signal` aborts (the call ended, or the gateway is stopping). Unlike
 * iterating the stream itself, ending early neither destroys the call (its
 * final status can still be sent) nor waits for the client's next message.
 * A client that sends faster than it is served is paused, not buffered.
 */
export async function* streamInbox(stream: Readable, signal: AbortSignal): AsyncGenerator<unknown> {
  const queue: unknown[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (m: unknown) => {
    queue.push(m);
    if (queue.length >= INBOX_HIGH_WATER) stream.pause();
    poke();
  };
  const onEnd = () => {
    ended = true;
    poke();
  };
  stream.on("data", onData);
  stream.once("end", onEnd);
  stream.once("error", onEnd);
  signal.addEventListener("abort", onEnd, { once: true });
  try {
    for (;;) {
      if (signal.aborted) return;
      const next = queue.shift();
      if (next !== undefined) {
        if (queue.length < INBOX_HIGH_WATER / 2 && stream.isPaused()) stream.resume();
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off("data", onData);
    stream.off("end", onEnd);
    stream.off("error", onEnd);
    signal.removeEventListener("abort", onEnd);
  }
}

/** What a server stream exposes for writing: grpc-js's writable call objects. */
export interface WritableCall<T> extends Pick<Writable, "write" | "once" | "destroyed"> {
  write(message: T): boolean;
  readonly cancelled: boolean;
}

/** Writes to a stream one message at a time, waiting for the client to drain when it falls behind. */
export function streamWriter<T>(call: WritableCall<T>): (message: T) => Promise<void> {
  let tail = Promise.resolve();
  return (message) => {
    tail = tail.then(
      () =>
        new Promise<void>((resolve) => {
          if (call.cancelled || call.destroyed) return resolve();
          if (call.write(message)) resolve();
          else call.once("drain", () => resolve());
        }),
    );
    return tail;
  };
}
