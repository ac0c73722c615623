import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { BlackboardClient } from "../blackboard/client.ts";
import type { FactWriter } from "../blackboard/writer.ts";
import type { Clock } from "../core/clock.ts";
import type { ClaimStore } from "./claims.ts";
import type { PeerMetrics } from "./metrics.ts";
import type { Directory } from "./presence.ts";
import type { BidReply, CallForProposals } from "./protocol.ts";
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
  clock: Clock;
  /** The mesh clock: what facts are stamped with and handlers read (moves with CASEMESH_CLOCK=shared). */
  meshClock: Clock;
  /** The id this process auctions under (it receives `settled` notices). */
  hostId: string;
  leaseMs: number;
  heartbeatMs: number;
  bidWindowMs: number;
  weights: WeightTable;
  onAward: ((event: AwardEvent) => void) | undefined;
  /**
   * This process's own bids for a call, computed in-process (undefined when it
   * hosts no peer serving the capability). The host sets it once its bidder exists.
   */
  localBids: (cfp: CallForProposals) => BidReply | undefined;
}
