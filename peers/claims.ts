import type { KV } from "@nats-io/kv";
import { z } from "zod";
import { Capability, CaseId, WorkId } from "../blackboard/index.ts";
import { casPut, UnavailableError } from "../core/index.ts";
import { PeerId, decodeJson } from "./protocol.ts";

export { DEFAULT_LEASE_MS } from "../core/index.ts";

/** The claim on one need, kept under the need id in the claims bucket. */
export const ClaimRecord = z.strictObject({
  needId: WorkId,
  caseId: CaseId,
  capability: Capability,
  /** 1 for the first award; +1 for every award after an expiry, release or decline. */
  attempt: z.number().int().min(1),
  holder: PeerId,
  auctioneer: PeerId,
  /** held: being worked on; done/failed: settled; released: given back, to be awarded again. */
  state: z.enum(["held", "done", "failed", "released"]),
  leaseMs: z.number().int().positive(),
});
export type ClaimRecord = z.infer<typeof ClaimRecord>;

/** A claim with its KV revision and when the server wrote it. */
export interface ClaimEntry {
  record: ClaimRecord;
  revision: number;
  /** Server time of the last write (award or renewal), in ms. */
  writtenAt: number;
}

/**
 * Claims over JetStream KV. An award is a compare-and-set: `create` for the
 * first attempt, `update` at the revision the auctioneer saw for later ones,
 * so at most one live claim exists per need under any contention. The holder
 * renews with `update` at its last revision; a failed renewal means the lease
 * was lost and the holder must stop.
 */
export class ClaimStore {
  constructor(private readonly kv: KV) {}

  async read(needId: string): Promise<ClaimEntry | undefined> {
    const entry = await this.kv.get(needId);
    if (entry === null || entry.operation !== "PUT") return undefined;
    const parsed = ClaimRecord.safeParse(decodeJson(entry.value));
    if (!parsed.success) throw new UnavailableError(`claim ${needId} is malformed: ${parsed.error.issues[0]?.message ?? ""}`);
    return { record: parsed.data, revision: entry.revision, writtenAt: entry.created.getTime() };
  }

  /**
   * Writes an award. Without `expectedRevision` the need must have no claim;
   * with it, the claim must still be at that revision. Returns the new
   * revision, or undefined when another award got there first.
   */
  async award(record: ClaimRecord, expectedRevision?: number): Promise<number | undefined> {
    return casPut(this.kv, record.needId, JSON.stringify(record), expectedRevision ?? 0, "claim write");
  }

  /** Renews (or changes the state of) a claim held at `revision`. Undefined: the claim was lost. */
  async write(record: ClaimRecord, revision: number): Promise<number | undefined> {
    return casPut(this.kv, record.needId, JSON.stringify(record), revision, "claim write");
  }
}

/** True when a held claim has not been renewed within its lease. */
export function leaseExpired(entry: ClaimEntry, now: number): boolean {
  return entry.record.state === "held" && now - entry.writtenAt > entry.record.leaseMs;
}
