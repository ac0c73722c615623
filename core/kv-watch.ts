import type { KV, KvWatchEntry } from "@nats-io/kv";
import type { QueuedIterator } from "@nats-io/transport-node";
import { delay } from "./backoff.ts";

/** How long a watch waits before watching its bucket again after the last watch ended. */
export const WATCH_RETRY_MS = 250;

/** Where a watch that ended starts again. */
export type WatchResume =
  /** every live entry again, then changes: for views rebuilt from the whole bucket */
  | "replay"
  /** after the last revision seen: for streams of changes that must not repeat one */
  | "after-last";

export interface FollowKvOptions {
  /** The keys to watch (a subject filter). @default ">" */
  key?: string;
  /** Ends the watch. */
  signal: AbortSignal;
  /** @default "replay" */
  resume?: WatchResume;
  /** @default WATCH_RETRY_MS */
  retryMs?: number;
  /** A watch already open, followed first (so the caller can fail fast on the first open). */
  first?: QueuedIterator<KvWatchEntry>;
  /** Told when a watch could not be opened (`"open"`) or failed (`"ended"`). */
  onError?: (err: unknown, when: "open" | "ended") => void;
  /** Stops following when true (a closed connection). */
  closed?: () => boolean;
}

/**
 * The one resumable KV watch: yields the watched entries, and when a watch
 * ends (a nats-server restart can leave a watch unable to resume) opens a new
 * one after `retryMs`, from where `resume` says, until `signal` aborts or
 * `closed()` holds. Breaking out of the loop stops the watch.
 */
export async function* followKv(kv: KV, options: FollowKvOptions): AsyncGenerator<KvWatchEntry> {
  const { signal } = options;
  const key = options.key ?? ">";
  const retryMs = options.retryMs ?? WATCH_RETRY_MS;
  let first = options.first;
  let last = 0;
  while (!signal.aborted && !(options.closed?.() ?? false)) {
    let watch: QueuedIterator<KvWatchEntry> | undefined = first;
    first = undefined;
    if (watch === undefined) {
      try {
        watch = await kv.watch({ key, ...(options.resume === "after-last" && last > 0 ? { resumeFromRevision: last + 1 } : {}) });
      } catch (err) {
        options.onError?.(err, "open");
      }
    }
    if (watch !== undefined) {
      const w = watch;
      const stop = () => w.stop();
      signal.addEventListener("abort", stop, { once: true });
      if (signal.aborted) w.stop();
      try {
        for await (const entry of w) {
          if (signal.aborted) break;
          last = entry.revision;
          yield entry;
        }
      } catch (err) {
        options.onError?.(err, "ended");
      } finally {
        signal.removeEventListener("abort", stop);
        w.stop();
      }
    }
    if (!signal.aborted) await delay(retryMs, signal);
  }
}

/**
 * A watch over every key of a bucket that never gives up, applying each
 * entry to a live in-memory view ({@link followKv} with `replay`). The peer
 * directory and the desk agents view are kept from one each.
 */
export class LiveKvWatch {
  readonly #stop = new AbortController();

  private constructor() {}

  /**
   * Opens the first watch (throwing if it cannot), then follows in the
   * background; `apply` gets every entry, `onError` hears of each watch that
   * ended or could not be opened again.
   */
  static async start(kv: KV, apply: (entry: KvWatchEntry) => void, onError: (err: unknown, when: "open" | "ended") => void, retryMs = WATCH_RETRY_MS): Promise<LiveKvWatch> {
    const first = await kv.watch({ key: ">" });
    const live = new LiveKvWatch();
    void (async () => {
      for await (const entry of followKv(kv, { signal: live.#stop.signal, first, retryMs, onError })) apply(entry);
    })();
    return live;
  }

  stop(): void {
    this.#stop.abort();
  }
}
