import { z } from "zod";
import { ConfigError } from "./errors.ts";

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

/** A clock `offsetMs` milliseconds ahead of `base` (behind when negative). */
export class OffsetClock implements Clock {
  constructor(
    readonly offsetMs: number,
    private readonly base: Clock = systemClock,
  ) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }
}

/** The environment variable that shifts a process's scheduling clock, in milliseconds (may be negative). */
export const CLOCK_OFFSET_ENV = "CASEMESH_CLOCK_OFFSET_MS";

/** CASEMESH_CLOCK_OFFSET_MS; its description is its row in docs/configuration.md. */
export const ClockOffset = z
  .string()
  .trim()
  .regex(/^-?\d{1,15}$/, `${CLOCK_OFFSET_ENV} must be a whole number of milliseconds, e.g. 86400000`)
  .transform(Number)
  .meta({ description: "Shifts one process's scheduling clock (the follow-up timer loop) from the mesh clock, in ms, may be negative: a test runs one process \"a day later\". Leases keep the wall clock.", whenUnset: "0" });

/**
 * A process's scheduling clock: `base` (the wall clock, or the mesh's shared
 * clock), shifted by CASEMESH_CLOCK_OFFSET_MS when it is set, so a test can
 * run one process "24 hours later". Throws {@link ConfigError} when the
 * variable is not a whole number. Leases keep the wall clock; what reads this
 * clock (due timers) moves.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env, base: Clock = systemClock): Clock {
  const raw = env[CLOCK_OFFSET_ENV];
  if (raw === undefined || raw === "") return base;
  const parsed = ClockOffset.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${parsed.error.issues[0]?.message ?? CLOCK_OFFSET_ENV}`);
  return parsed.data === 0 ? base : new OffsetClock(parsed.data, base);
}
