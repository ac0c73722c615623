import type { KV, KvEntry, QueuedIterator } from "nats";
import type { Logger } from "pino";

/** How long a watch waits before watching its bucket again after the last watch ended. */
export const WATCH_RETRY_MS = 250;

/**
 * A watch over every key of a KV bucket that never gives up: when it ends (a
 * nats-server restart can leave a watch unable to resume) it starts a new one,
 * which replays every live entry, until stopped. The peer directory and the
 * desk agents view are kept from one each.
 */
export class LiveKvWatch {
  #watch: QueuedIterator<KvEntry>;
  #stopped = false;

  private constructor(first: QueuedIterator<KvEntry>) {
    this.#watch = first;
  }

  /** Starts watching `kv`; `apply` gets every entry, `what` names the bucket in logs. */
  static async start(kv: KV, apply: (entry: KvEntry) => void, log: Logger, what: string, retryMs = WATCH_RETRY_MS): Promise<LiveKvWatch> {
    const live = new LiveKvWatch(await kv.watch({ key: ">" }));
    void live.#follow(kv, apply, log, what, retryMs);
    return live;
  }

  stop(): void {
    this.#stopped = true;
    this.#watch.stop();
  }

  async #follow(kv: KV, apply: (entry: KvEntry) => void, log: Logger, what: string, retryMs: number): Promise<void> {
    for (;;) {
      try {
        for await (const entry of this.#watch) apply(entry);
      } catch (err) {
        log.warn({ err: String(err) }, `${what} watch ended; watching again`);
      }
      while (!this.#stopped) {
        await new Promise((r) => setTimeout(r, retryMs));
        try {
          this.#watch = await kv.watch({ key: ">" });
          break;
        } catch (err) {
          log.warn({ err: String(err) }, `cannot watch ${what} yet; retrying`);
        }
      }
      if (this.#stopped) return;
    }
  }
}
