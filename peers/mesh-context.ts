import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import type { MeshClock, WallClock } from "../core/index.ts";
import type { ClaimEntry, ClaimStore } from "./claims.ts";
import type { PeerMetrics } from "./metrics.ts";
import type { Directory } from "./presence.ts";
import type { Award, AwardReply, BidReply, CallForProposals, Settled } from "./protocol.ts";
import type { WeightTable } from "./utility.ts";

/** What one award looked like, for benchmarks and tests watching the mesh. */
export interface AwardEvent {
  needId: string;
  capability: string;
  attempt: number;
  winner: string;
  bids: number;
  /** From the need being stored in the log to the claim being committed, in ms. */
  latencyMs: number;
}

/** The shared parts of one process's peer runtime, handed to its pieces. */
export interface MeshContext {
  nc: NatsConnection;
  writer: FactWriter;
  blackboard: BlackboardClient;
  claims: ClaimStore;
  directory: Directory;
  metrics: PeerMetrics;
  registry: Registry;
  log: Logger;
  /** Leases: the wall clock (a test may pass a manual one). */
  clock: WallClock;
  /** The mesh clock: what facts are stamped with and handlers read (moves with CASEMESH_CLOCK=shared). */
  meshClock: MeshClock;
  /** The id this process auctions under (it receives `settled` notices). */
  hostId: string;
  leaseMs: number;
  heartbeatMs: number;
  bidWindowMs: number;
  weights: WeightTable;
  onAward: ((event: AwardEvent) => void) | undefined;
  /** This process's own peers and auctions, reached without NATS. The host sets them once its workers exist. */
  local: LocalPeers;
}

/**
 * What an auctioneer and a worker in the same process say to each other
 * directly: the same bid, award and settled notice they would send over NATS,
 * without a round trip through the server.
 */
export interface LocalPeers {
  /** This process's bids and declines for a call; undefined when it hosts no peer serving the capability. */
  bids(cfp: CallForProposals): BidReply | undefined;
  /**
   * Hands an award to `peer` if this process hosts it (undefined otherwise).
   * `claim` is the claim the auctioneer has just committed, so the worker
   * need not read it back.
   */
  award(peer: string, award: Award, claim: ClaimEntry): AwardReply | undefined;
  /** Tells this process's auction of `notice.needId`, if it runs one, that the need was settled. */
  settled(notice: Settled): void;
}

/** Before a host has wired its peers: nothing is local. */
export const NO_LOCAL_PEERS: LocalPeers = {
  bids: () => undefined,
  award: () => undefined,
  settled: () => undefined,
};
