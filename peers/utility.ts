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

/** Orders bids best first: higher utility, then the lower peer id (deterministic ties). */
export function compareBids(a: { utility: number; peer: string }, b: { utility: number; peer: string }): number {
  if (a.utility !== b.utility) return b.utility - a.utility;
  return a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0;
}
