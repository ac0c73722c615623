import { z } from "zod";
import { Capability, CaseId, WorkId } from "../blackboard/index.ts";

/**
 * The messages peers send each other, parsed with zod on both sides.
 *
 * - `casemesh.cfp.<capability>`: a call for proposals, request-many; every
 *   live peer serving the capability answers once with a {@link BidReply}.
 * - `casemesh.peer.<peerId>.award`: the auctioneer tells the winner (request).
 * - `casemesh.peer.<peerId>.settled`: the worker tells the auctioneer that a
 *   need is done or failed (best effort; the claim is the truth).
 *
 * When the auctioneer's own process hosts the peer concerned, the bid, the
 * award and the settled notice go in-process instead (see `LocalPeers`).
 */

/** A peer id: it is a NATS subject token and a KV key. */
export const PeerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
export type PeerId = z.infer<typeof PeerId>;

export { decodeJson } from "../core/index.ts";

export const cfpSubject = (capability: string) => `casemesh.cfp.${capability}`;
export const awardSubject = (peerId: string) => `casemesh.peer.${peerId}.award`;
export const settledSubject = (peerId: string) => `casemesh.peer.${peerId}.settled`;

/**
 * A call for proposals. It carries no case data: a bid depends only on the
 * peer (skill, load, cost, version). What depends on the case, the customer's
 * tier and who served them before, the auctioneer applies when it scores the
 * bids, so it can read the case while the bids are on their way.
 */
export const CallForProposals = z.strictObject({
  needId: WorkId,
  caseId: CaseId,
  capability: Capability,
  attempt: z.number().int().min(1),
  /** Peers that must not be awarded this attempt (they declined or let the need go). */
  exclude: z.array(z.string()).max(1_000),
  /** The host running the auction: it scores its own peers in-process, so it does not answer over NATS. */
  auctioneer: PeerId.optional(),
});
export type CallForProposals = z.infer<typeof CallForProposals>;

/** What a peer offers; each part in [0, 1]. */
export const PeerBidParts = z.strictObject({
  /** How well the peer's skill fits the need. */
  fit: z.number().min(0).max(1),
  /** Spare capacity: 1 idle, 0 full. */
  load: z.number().min(0).max(1),
  /** Relative cost of serving (model price, human time): 0 free, 1 dearest. */
  cost: z.number().min(0).max(1),
  /** The version weight: 1 for stable, less for a canary. */
  version: z.number().min(0).max(1),
});
export type PeerBidParts = z.infer<typeof PeerBidParts>;

/** The parts a utility is computed from: the peer's offer plus continuity, which the auctioneer knows. */
export type BidParts = PeerBidParts & {
  /** 1 when this peer served this customer's previous need of this capability. */
  continuity: number;
};

/**
 * One process's answer to a call: a bid for each of its peers serving the
 * capability, and a decline for each that cannot take it (full, draining,
 * excluded), so the auction need not wait for anyone. One reply per process,
 * not per peer.
 */
export const BidReply = z.strictObject({
  host: PeerId,
  bids: z.array(z.strictObject({ peer: PeerId, version: z.string().min(1).max(64), parts: PeerBidParts })).max(1_000),
  declines: z.array(z.strictObject({ peer: PeerId, reason: z.string().max(200) })).max(1_000),
});
export type BidReply = z.infer<typeof BidReply>;

/** The award, sent to the winner once its claim is committed. */
export const Award = z.strictObject({
  needId: WorkId,
  caseId: CaseId,
  capability: Capability,
  attempt: z.number().int().min(1),
  /** The claim's KV revision the winner must renew from. */
  revision: z.number().int().positive(),
  /** Stream sequence of the need.opened fact: the case version the step reads. */
  needSeq: z.number().int().positive(),
  auctioneer: PeerId,
});
export type Award = z.infer<typeof Award>;

export const AwardReply = z.strictObject({ accepted: z.boolean(), reason: z.string().max(200).optional() });
export type AwardReply = z.infer<typeof AwardReply>;

/**
 * A worker's notice that it settled a need. `state` says that its own
 * compare-and-set wrote that final state to the claim: `done` and `failed` are
 * final (nobody awards a settled need again), so the auctioneer may
 * acknowledge the need without reading the claim. A notice without it only
 * wakes the auctioneer, which then reads the claim.
 */
export const Settled = z.strictObject({
  needId: WorkId,
  state: z.enum(["done", "failed"]).optional(),
});
export type Settled = z.infer<typeof Settled>;
