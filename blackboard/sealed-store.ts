import { createHash, timingSafeEqual } from "node:crypto";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { casPut, openFileBucket, readJsonEntry, UnavailableError } from "../core/index.ts";
import { Channel } from "./contract-kinds.ts";
import { FactId, WorkId } from "./contract-envelope.ts";

/**
 * Secrets that must reach a customer, or come from one, without entering the
 * fact log: a one-time code going out, and the customer's answer coming in.
 * They live in the JetStream KV bucket `casemesh_sealed` for at most
 * {@link SEALED_RETENTION_MS}; the log holds only a reference: a
 * `reply.drafted` whose text starts with `[sealed:<ref>]` (see
 * {@link sealedReplyText}), and a customer message whose answer the gateway
 * replaced with dots. An answer is kept only as a hash bound to its challenge, so nobody
 * reading the bucket learns what a customer typed.
 */

/** The bucket's name. */
export const SEALED_BUCKET = "casemesh_sealed";
/** How long the bucket keeps an entry (wall clock): longer than any code lives. */
export const SEALED_RETENTION_MS = 3_600_000;

/** A sealed message for one customer address: what the channel's sender delivers. */
export const SealedOutbound = z.strictObject({
  channel: Channel,
  address: z.string().min(1).max(320),
  text: z.string().min(1).max(4_000),
  /** The secret inside `text`, so its owner can check an answer against it. */
  secret: z.string().min(1).max(64),
});
export type SealedOutbound = z.infer<typeof SealedOutbound>;

/** What the gateway kept of a customer's secret answer: hashes bound to the challenge, never the answer. */
export const SealedAnswer = z.strictObject({
  challengeId: WorkId,
  hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1).max(8),
});
export type SealedAnswer = z.infer<typeof SealedAnswer>;

/** The hash an answer is kept as: SHA-256 of the challenge id and the answer, so it means nothing for another challenge. */
export function hashAnswer(challengeId: string, answer: string): string {
  return createHash("sha256").update(`${challengeId}\u0000${answer}`, "utf8").digest("hex");
}

/** True when one of the answer's hashes is the hash of `secret` for its challenge (compared in constant time). */
export function answerMatches(answer: SealedAnswer, secret: string): boolean {
  const want = Buffer.from(hashAnswer(answer.challengeId, secret), "hex");
  return answer.hashes.some((h) => timingSafeEqual(Buffer.from(h, "hex"), want));
}

/** The text of a `reply.drafted` that stands for the sealed message `ref`: what the log, timelines and sessions show. */
export function sealedReplyText(ref: string, summary: string): string {
  return `[sealed:${WorkId.parse(ref)}] ${summary}`;
}

/** The ref of a sealed reply's text, or undefined for an ordinary reply. */
export function sealedRefOf(text: string): string | undefined {
  return /^\[sealed:([A-Za-z0-9_-][A-Za-z0-9_.-]{0,127})\] /.exec(text)?.[1];
}

/**
 * Replaces every run of `digits` digits in `text` (spaces or dashes between
 * them allowed, as people type codes: `123 456`) with dots, and returns the
 * runs found, digits only. What a gateway does to a message that may answer a
 * challenge before it is written.
 */
export function sealDigits(text: string, digits: number): { text: string; found: string[] } {
  const found: string[] = [];
  const run = new RegExp(`(?<![0-9])[0-9](?:[ -]?[0-9]){${digits - 1}}(?![0-9])`, "g");
  const masked = text.replace(run, (hit) => {
    found.push(hit.replace(/[^0-9]/g, ""));
    return "\u2022".repeat(digits);
  });
  return { text: masked, found };
}

/** The sealed bucket: outbound secrets by reference, inbound answers by the message fact they belong to. */
export class SealedStore {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** Opens (creating if needed) the bucket: file storage, one revision per key, entries gone after {@link SEALED_RETENTION_MS}. */
  static async open(nc: NatsConnection, options: { replicas?: number } = {}): Promise<SealedStore> {
    return new SealedStore(await openFileBucket(nc, SEALED_BUCKET, { ttlMs: SEALED_RETENTION_MS, ...options }));
  }

  /**
   * Seals `message` under `ref`, once: a second call (a re-run step) leaves
   * the first message and returns it, so a customer is sent one secret per ref.
   */
  async sealOutbound(ref: string, message: SealedOutbound): Promise<SealedOutbound> {
    WorkId.parse(ref);
    const value = SealedOutbound.parse(message);
    if ((await casPut(this.#kv, `out.${ref}`, JSON.stringify(value), 0, `sealing ${ref}`)) !== undefined) return value;
    const existing = await this.outbound(ref);
    if (existing === undefined) throw new UnavailableError(`sealed message ${ref} exists but could not be read`);
    return existing;
  }

  /** The sealed message under `ref`, or undefined once it is gone (expired). */
  outbound(ref: string): Promise<SealedOutbound | undefined> {
    return this.#read(`out.${ref}`, SealedOutbound);
  }

  /** Keeps the hashes of an answer given in the message fact `factId`; the first write wins. */
  async sealAnswer(factId: string, answer: SealedAnswer): Promise<void> {
    FactId.parse(factId);
    const value = SealedAnswer.parse(answer);
    await casPut(this.#kv, `in.${factId}`, JSON.stringify(value), 0, `sealing the answer of ${factId}`);
  }

  /** The sealed answer of the message fact `factId`, if the gateway sealed one. */
  answer(factId: string): Promise<SealedAnswer | undefined> {
    return this.#read(`in.${factId}`, SealedAnswer);
  }

  /** Forgets the secret under `ref` (a challenge that is over). */
  async discardOutbound(ref: string): Promise<void> {
    try {
      await this.#kv.purge(`out.${ref}`);
    } catch (err) {
      throw new UnavailableError(`discarding sealed message ${ref} failed: ${String(err)}`, { cause: err });
    }
  }

  async #read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return (await readJsonEntry(this.#kv, key, schema, `sealed entry ${key}`)).value;
  }
}
