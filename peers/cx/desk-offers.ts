import { createHash } from "node:crypto";
import type { KV, KvEntry, NatsConnection, QueuedIterator } from "nats";
import { UnavailableError } from "../../core/errors.ts";
import { DESK_OFFERS_BUCKET, DeskOffer } from "../../gateway/index.ts";

/**
 * Waiting on one desk offer: a KV watch of its single key in
 * `casemesh_desk_offers` (the server filters; no other offer is replayed),
 * watched again if it ends, until the offer reaches a state the caller wants,
 * a deadline passes or the step is aborted.
 */

/** How long a wait pauses before watching an offer again after its watch ended (a NATS restart). */
export const OFFER_REWATCH_MS = 250;

/** The offer token of a need: stable across re-runs and re-awards of the need, so a later holder finds its offer. */
export function offerToken(needId: string): string {
  return createHash("sha256").update(needId, "utf8").digest("hex").slice(0, 32);
}

/** What a wait ended with: the offer as last seen (undefined when there is none), and whether the deadline passed first. */
export interface OfferWaitResult {
  offer: DeskOffer | undefined;
  timedOut: boolean;
}

/** Watches single offers in the offers bucket. */
export class OfferWatcher {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** Binds to the offers bucket (open a DeskBoard first: it creates the bucket). */
  static async open(nc: NatsConnection): Promise<OfferWatcher> {
    return new OfferWatcher(await nc.jetstream().views.kv(DESK_OFFERS_BUCKET, { bindOnly: true }));
  }

  /**
   * Every offer made under `token`, whatever agent it went to (signed in or
   * not): the keys `*.<token>`, filtered by the server.
   */
  async find(token: string): Promise<DeskOffer[]> {
    let entries: (KvEntry | null)[];
    try {
      const keys: string[] = [];
      for await (const key of await this.#kv.keys(`*.${token}`)) keys.push(key);
      keys.sort();
      entries = await Promise.all(keys.map((k) => this.#kv.get(k)));
    } catch (err) {
      throw new UnavailableError(`cannot read the desk offers of token ${token}: ${String(err)}`, { cause: err });
    }
    return entries.flatMap((e) => (e === null || e.operation !== "PUT" ? [] : (parseOffer(e.value) ?? [])));
  }

  /**
   * Resolves once `done` holds for the offer as it is (undefined: deleted or
   * never made), or at `deadlineMs` (wall clock; undefined for none) with
   * `timedOut`. Rejects with the signal's reason when `signal` aborts.
   */
  async until(offerId: string, done: (offer: DeskOffer | undefined) => boolean, deadlineMs: number | undefined, signal: AbortSignal): Promise<OfferWaitResult> {
    let last: DeskOffer | undefined;
    let watch: QueuedIterator<KvEntry> | undefined;
    let timedOut = false;
    const stop = () => watch?.stop();
    const timer =
      deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, Math.max(0, deadlineMs - Date.now()));
    signal.addEventListener("abort", stop, { once: true });
    try {
      while (!signal.aborted && !timedOut) {
        try {
          watch = await this.#kv.watch({ key: offerId });
          if (signal.aborted || timedOut) watch.stop();
          for await (const entry of watch) {
            last = entry.operation === "PUT" ? parseOffer(entry.value) : undefined;
            if (done(last)) return { offer: last, timedOut: false };
          }
        } catch {
          // The watch failed (a NATS restart): watch again below.
        }
        if (!signal.aborted && !timedOut) await new Promise((r) => setTimeout(r, OFFER_REWATCH_MS));
      }
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
      return { offer: last, timedOut: true };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
      watch?.stop();
    }
  }
}

function parseOffer(value: Uint8Array): DeskOffer | undefined {
  try {
    const parsed = DeskOffer.safeParse(JSON.parse(new TextDecoder().decode(value)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
