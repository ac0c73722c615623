import { createHash } from "node:crypto";

/**
 * Ids derived from a need, stable across re-runs and re-awards, so a
 * re-executed step writes the same msg ids and opens the same follow-up needs
 * (JetStream deduplicates them) instead of new ones.
 */

/** The id of the `index`-th follow-up need (or the fallback) opened by `needId`. */
export function childNeedId(needId: string, label: string | number): string {
  return `n-${createHash("sha256").update(`${needId}/${label}`).digest("hex").slice(0, 24)}`;
}

/** The msg id of the `index`-th fact a step of `needId` writes. */
export function stepFactMsgId(needId: string, index: number, kind: string): string {
  return `${needId}.f${index}.${kind}`;
}
