import { randomBytes } from "node:crypto";
import { systemClock, type TimeSource } from "./clock.ts";

/**
 * Time-sortable identifiers (ULID layout: 48 bits of milliseconds, then 80
 * bits of randomness, Crockford base32, 26 characters). Ids made by one
 * generator in the same millisecond still sort in creation order: the random
 * part is incremented instead of redrawn.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdGenerator = () => string;

/** Creates a monotonic, time-sortable id generator reading `clock`. */
export function createIdGenerator(clock: TimeSource = systemClock): IdGenerator {
  let lastMs = -1;
  let lastRandom: number[] = [];
  return () => {
    const ms = clock.now();
    if (ms === lastMs) {
      lastRandom = increment(lastRandom);
    } else {
      lastMs = ms;
      lastRandom = randomDigits();
    }
    return encodeTime(ms) + lastRandom.map((d) => ALPHABET[d]).join("");
  };
}

/** Random bytes drawn 4 KiB at a time: one draw per id cost more than the rest of making it. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** Sixteen random base-32 digits (80 bits). */
function randomDigits(): number[] {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const digits: number[] = [];
  for (let i = 0; i < 16; i++) digits.push((pool[poolAt + i] ?? 0) & 31);
  poolAt += 16;
  return digits;
}

function encodeTime(ms: number): string {
  let out = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const d = next[i] ?? 0;
    if (d < 31) {
      next[i] = d + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

/** A process-wide generator on the system clock. */
export const newId: IdGenerator = createIdGenerator();
