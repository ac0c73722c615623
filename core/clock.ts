import { z } from "zod";
import { ConfigError } from "./errors.ts";

/**
 * Time is injectable, on two timelines that the type checker keeps apart:
 *
 * - the **wall clock** ({@link WallClock}): leases, heartbeats, expiries,
 *   deadlines and retention, the same on every machine and never moved by the
 *   mesh;
 * - the **mesh clock** ({@link MeshClock}): what facts are stamped with
 *   (`at`), when timers fall due, what step handlers read. In production it is
 *   the wall clock; a mesh run on a shared offset (CASEMESH_CLOCK=shared) or a
 *   test may move it ahead.
 *
 * Passing one where the other is wanted is a compile error; where one really
 * stands for the other, {@link meshClockOf} says so in the code.
 */

/** Reads a time: milliseconds since the Unix epoch. What a wall and a mesh clock share. */
export interface TimeSource {
  now(): number;
}

/** The wall clock: leases, heartbeats, expiries, deadlines. */
export interface WallClock extends TimeSource {
  readonly timeline: "wall";
}

/** The mesh clock: fact times, due times, what handlers read. */
export interface MeshClock extends TimeSource {
  readonly timeline: "mesh";
}

/** The system's wall clock. */
export const systemClock: WallClock = { timeline: "wall", now: () => Date.now() };

/** The mesh clock of a mesh on the wall clock (CASEMESH_CLOCK=system). */
export const systemMeshClock: MeshClock = { timeline: "mesh", now: () => Date.now() };

/** A mesh clock that reads `wall`: a mesh with no offset, or a test that drives both with one manual clock. */
export function meshClockOf(wall: WallClock): MeshClock {
  return { timeline: "mesh", now: () => wall.now() };
}

/** Time a test sets and advances by hand. */
abstract class ManualTime implements TimeSource {
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

/** A wall clock a test can set and advance by hand. */
export class ManualClock extends ManualTime implements WallClock {
  readonly timeline = "wall";
}

/** A mesh clock a test can set and advance by hand. */
export class ManualMeshClock extends ManualTime implements MeshClock {
  readonly timeline = "mesh";
}

/** A mesh clock `offsetMs` milliseconds ahead of `base` (behind when negative). */
export class OffsetClock implements MeshClock {
  readonly timeline = "mesh";

  constructor(
    readonly offsetMs: number,
    private readonly base: TimeSource = systemClock,
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
 * A process's scheduling clock, on the mesh's timeline: `base` (the mesh's
 * clock, the wall clock's by default), shifted by CASEMESH_CLOCK_OFFSET_MS
 * when it is set, so a test can run one process "24 hours later". Throws
 * {@link ConfigError} when the variable is not a whole number. Leases keep the
 * wall clock; what reads this clock (due timers) moves.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env, base: MeshClock = systemMeshClock): MeshClock {
  const raw = env[CLOCK_OFFSET_ENV];
  if (raw === undefined || raw === "") return base;
  const parsed = ClockOffset.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${parsed.error.issues[0]?.message ?? CLOCK_OFFSET_ENV}`);
  return parsed.data === 0 ? base : new OffsetClock(parsed.data, base);
}
