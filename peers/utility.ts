import { z } from "zod";
import type { BidParts } from "./protocol.ts";

/**
 * Utility: a weighted sum of the bid's parts. Cost counts against a bid;
 * everything else for it. The weights can be set per capability and per
 * customer tier; the auctioneer computes utility, so every process must be
 * given the same weights (they are part of the mesh's configuration).
 */
export const UtilityWeights = z.strictObject({
  fit: z.number().min(0),
  load: z.number().min(0),
  cost: z.number().min(0),
  continuity: z.number().min(0),
  version: z.number().min(0),
});
export type UtilityWeights = z.infer<typeof UtilityWeights>;

/** Skill first, then spare capacity and continuity, then cost; version breaks near-ties. */
export const DEFAULT_WEIGHTS: UtilityWeights = { fit: 1, load: 0.5, cost: 0.25, continuity: 0.5, version: 0.1 };

/**
 * Weights by capability and tier. The most specific entry wins:
 * `"billing.dispute/vip"`, then `"billing.dispute"`, then `"/vip"` (every capability), then the default.
 */
export const WeightTable = z.record(z.string(), UtilityWeights.partial());
export type WeightTable = z.infer<typeof WeightTable>;

/** The weights for a capability and a customer tier. */
export function weightsFor(table: WeightTable, capability: string, tier: string): UtilityWeights {
  const out: UtilityWeights = { ...DEFAULT_WEIGHTS };
  for (const key of [`/${tier}`, capability, `${capability}/${tier}`]) {
    for (const [name, value] of Object.entries(table[key] ?? {})) {
      if (value !== undefined) out[name as keyof UtilityWeights] = value;
    }
  }
  return out;
}

/** The utility of a bid under `w`. */
export function utilityOf(parts: BidParts, w: UtilityWeights): number {
  const u = w.fit * parts.fit + w.load * parts.load - w.cost * parts.cost + w.continuity * parts.continuity + w.version * parts.version;
  // Round so that equal bids compare equal wherever they are computed.
  return Math.round(u * 1e9) / 1e9;
}

/**
 * Sorts bids for `needId` best first: higher utility, then a tie-break that
 * every auctioneer computes the same but that differs from need to need (a
 * hash of need and peer), so a burst of needs that all find idle, equal peers
 * spreads over them instead of piling onto one. The peer id settles a hash tie.
 */
export function sortBids<B extends { utility: number; peer: string }>(bids: readonly B[], needId: string): B[] {
  return bids
    .map((bid) => ({ bid, rank: tieBreak(needId, bid.peer) }))
    .sort((a, b) => {
      if (a.bid.utility !== b.bid.utility) return b.bid.utility - a.bid.utility;
      if (a.rank !== b.rank) return a.rank - b.rank;
      return a.bid.peer < b.bid.peer ? -1 : a.bid.peer > b.bid.peer ? 1 : 0;
    })
    .map((x) => x.bid);
}

/** The tie-break rank of `peer` for `needId` (lower wins): 32-bit FNV-1a of both. */
export function tieBreak(needId: string, peer: string): number {
  let hash = 0x811c9dc5;
  const text = `${needId}\u0000${peer}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
