/**
 * Waiting between attempts, written once: an exponential backoff with a cap,
 * and a delay that ends early (without rejecting) when its signal aborts.
 */

/** How an exponential backoff grows: `initialMs`, doubled (or times `factor`) per attempt, never over `maxMs`. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** @default 2 */
  factor?: number;
}

/** The delay before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function backoffMs(policy: BackoffPolicy, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxMs, policy.initialMs * (policy.factor ?? 2) ** exponent);
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts (it never rejects: the
 * caller checks the signal). The timer does not hold the process open.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    timer.unref();
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** One retry loop's backoff: each {@link Backoff.wait} waits longer, {@link Backoff.reset} starts over. */
export class Backoff {
  readonly #policy: BackoffPolicy;
  #attempt = 0;

  constructor(policy: BackoffPolicy) {
    this.#policy = policy;
  }

  /** The delay the next wait will take. */
  peek(): number {
    return backoffMs(this.#policy, this.#attempt + 1);
  }

  /** Waits the next delay (ends early when `signal` aborts); returns how long it meant to wait. */
  async wait(signal?: AbortSignal): Promise<number> {
    const ms = this.peek();
    this.#attempt += 1;
    await delay(ms, signal);
    return ms;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
