/**
 * The peer runtime: define a peer, run it (alone or with others) in a
 * process, and it bids for needs, holds leased claims and hands work on.
 */
export { definePeer, capability, DEFAULT_CAPACITY, DEFAULT_MAX_STEP_RUNS, DEFAULT_STEP_TIMEOUT_MS } from "./define-peer.ts";
export type { PeerDefinition, CapabilitySpec, StepContext, StepResult, StepFact, FollowUp, NeedView } from "./define-peer.ts";
export { PeerHost, DEFAULT_BID_WINDOW_MS } from "./host.ts";
export { DEFAULT_DRAIN_GRACE_MS } from "../core/index.ts";
export { runPeers, loadPeerId, PeerIdEnv, PEERS_READY_MSG } from "./process.ts";
export { isMain } from "../core/index.ts";
export type { RunPeersOptions, PeerProcess, Sidecar } from "./process.ts";
export type { PeerHostOptions } from "./host.ts";
export type { AwardEvent } from "./mesh-context.ts";
export { DEFAULT_LEASE_MS, ClaimRecord } from "./claims.ts";
export { DEFAULT_HEARTBEAT_MS, PresenceRecord } from "./presence.ts";
export { DEFAULT_WEIGHTS, UtilityWeights, WeightTable, weightsFor, utilityOf, sortBids, tieBreak } from "./utility.ts";
export { CallForProposals, BidReply, PeerBidParts, Award, PeerId } from "./protocol.ts";
export type { BidParts } from "./protocol.ts";
export { CLAIMS_BUCKET, PRESENCE_BUCKET } from "./buckets.ts";
export { NEEDS_CONSUMER } from "./needs-consumer.ts";
export { childNeedId } from "./need-ids.ts";
export { Directory, PRESENCE_TTL_HEARTBEATS } from "./presence.ts";
