/**
 * Time is injectable. Leases, timers and SLA clocks read a {@link Clock}, so a
 * test of a 24-hour follow-up can move time instead of waiting for it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test can set and advance by hand. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.#ms = startMs;
  }

  now(): number {
    return this.#ms;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#ms += ms;
  }

  set(ms: number): void {
    this.#ms = ms;
  }
}
