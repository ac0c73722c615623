import { setMaxListeners } from "node:events";
import { jetstream, jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { BlackboardClient, ContractStore, FactWriter, factRegistry } from "../blackboard/index.ts";
import { ConfigError, DEFAULT_DRAIN_GRACE_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, type MeshClock, meshClockOf, systemClock, systemMeshClock, type WallClock } from "../core/index.ts";
import { NeedAuction } from "./auctioneer.ts";
import { openBuckets, openPresenceBucket } from "./buckets.ts";
import { ClaimStore } from "./claims.ts";
import type { PeerDefinition } from "./define-peer.ts";
import { NO_LOCAL_PEERS, type AwardEvent, type MeshContext } from "./mesh-context.ts";
import { peerMetrics } from "./metrics.ts";
import { NeedsConsumer, ensureNeedsConsumer } from "./needs-consumer.ts";
import { HostBidder } from "./bidder.ts";
import { Directory, PRESENCE_TTL_HEARTBEATS, PresenceAnnouncer, liveElsewhere } from "./presence.ts";
import { Settled, decodeJson, settledSubject } from "./protocol.ts";
import type { WeightTable } from "./utility.ts";
import { PeerWorker } from "./worker.ts";

/** How long an auction waits for stragglers once the expected bids are not all in. */
export const DEFAULT_BID_WINDOW_MS = 200;

export interface PeerHostOptions {
  nc: NatsConnection;
  /** The peers this process runs: one, or many. */
  peers: PeerDefinition[];
  /** Names this process as an auctioneer; unique in the mesh. */
  hostId: string;
  registry: Registry;
  logger: Logger;
  dedupWindowMs: number;
  /** The lease clock (wall time). @default systemClock */
  clock?: WallClock;
  /** The mesh clock: stamps facts and is the handlers' `clock` (see blackboard/shared-clock.ts). @default the wall clock for facts; for handlers the lease clock read as mesh time (a test drives both with one manual clock) */
  meshClock?: MeshClock;
  /** @default DEFAULT_LEASE_MS; every process in a mesh must use the same lease. */
  leaseMs?: number;
  /** @default DEFAULT_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** @default DEFAULT_BID_WINDOW_MS */
  bidWindowMs?: number;
  /** Utility weights by capability and tier; the same in every process. */
  weights?: WeightTable;
  /** Called on every award (benchmarks and tests). */
  onAward?: (event: AwardEvent) => void;
  /** Take part in auctions (pull needs) as well as serve. @default true */
  auction?: boolean;
  streamReplicas?: number;
}

/**
 * Runs peers in one process. Every process is the same: it announces its
 * peers, bids for them, works the needs they win, and auctions whichever needs
 * JetStream hands it from the shared durable consumer. No process is special.
 */
export class PeerHost {
  readonly #ctx: MeshContext;
  readonly #workers: PeerWorker[] = [];
  readonly #workersById = new Map<string, PeerWorker>();
  readonly #bidder: HostBidder;
  readonly #announcers: PresenceAnnouncer[] = [];
  readonly #auctions = new Map<string, NeedAuction>();
  readonly #stop = new AbortController();
  readonly #consumer: NeedsConsumer | undefined;
  #settledSub: Subscription | undefined;
  #draining = false;
  #running: Promise<void>[] = [];

  private constructor(ctx: MeshContext, peers: PeerDefinition[], auction: boolean, presence: KV, reopenPresence: () => Promise<KV>) {
    this.#ctx = ctx;
    // Every auction this process runs listens for the stop: one listener per need in flight, not a leak.
    setMaxListeners(0, this.#stop.signal);
    for (const peer of peers) {
      const worker = new PeerWorker(ctx, peer);
      this.#workers.push(worker);
      this.#workersById.set(peer.id, worker);
      this.#announcers.push(
        new PresenceAnnouncer(
          presence,
          reopenPresence,
          ctx.heartbeatMs,
          () => ({
            peer: peer.id,
            host: ctx.hostId,
            capabilities: peer.capabilities.map((c) => c.name),
            version: peer.version,
            load: worker.load,
            capacity: worker.capacity,
            status: this.#draining ? "draining" : "active",
          }),
          ctx.log,
        ),
      );
    }
    this.#bidder = new HostBidder(
      ctx,
      () => this.#workers.map((w) => ({ peer: w.definition, load: w.load, capacity: w.capacity })),
      () => this.#draining,
    );
    ctx.local = {
      bids: (cfp) => (this.#bidder.serves(cfp.capability) ? this.#bidder.answer(cfp) : undefined),
      award: (peer, award, claim) => this.#workersById.get(peer)?.takeLocal(award, claim),
      settled: (notice) => this.#auctions.get(notice.needId)?.nudge(notice),
    };
    this.#consumer = auction ? new NeedsConsumer(jetstream(ctx.nc), ctx.log, (m) => this.#onNeed(m)) : undefined;
  }

  static async start(options: PeerHostOptions): Promise<PeerHost> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const log = options.logger.child({ hostId: options.hostId });
    const { presence, claims } = await openBuckets(options.nc, {
      presenceTtlMs: heartbeatMs * PRESENCE_TTL_HEARTBEATS,
      ...(options.streamReplicas === undefined ? {} : { replicas: options.streamReplicas }),
    });
    // Share the fact kinds this process defines (its application's and its
    // peers' own) before writing any, so every replica can check them.
    const contracts = await ContractStore.open(options.nc, options.streamReplicas === undefined ? {} : { replicas: options.streamReplicas });
    const shared = await contracts.publish(factRegistry);
    if (shared > 0) log.info({ shared }, "shared fact contracts with the mesh");
    const blackboard = new BlackboardClient(options.nc);
    const writer = await FactWriter.create({
      nc: options.nc,
      source: { peer: options.hostId, capability: "runtime", version: "1" },
      registry: options.registry,
      dedupWindowMs: options.dedupWindowMs,
      clock: options.meshClock ?? systemMeshClock,
      ...(options.streamReplicas === undefined ? {} : { replicas: options.streamReplicas }),
      verdicts: blackboard,
    });
    for (const peer of options.peers) {
      const other = await liveElsewhere(presence, peer.id, options.hostId, heartbeatMs * PRESENCE_TTL_HEARTBEATS);
      if (other !== undefined) {
        throw new ConfigError(
          `peer id ${peer.id} is already live on host ${other.host}; give each running copy its own id (two copies under one id would both take its work)`,
        );
      }
    }
    const directory = new Directory(presence, heartbeatMs * PRESENCE_TTL_HEARTBEATS, log);
    await directory.start();
    if (options.auction !== false) await ensureNeedsConsumer(await jetstreamManager(options.nc), leaseMs, log);
    const ctx: MeshContext = {
      nc: options.nc,
      writer,
      blackboard,
      claims: new ClaimStore(claims),
      directory,
      metrics: peerMetrics(options.registry),
      registry: options.registry,
      log,
      clock: options.clock ?? systemClock,
      meshClock: options.meshClock ?? (options.clock === undefined ? systemMeshClock : meshClockOf(options.clock)),
      hostId: options.hostId,
      leaseMs,
      heartbeatMs,
      bidWindowMs: options.bidWindowMs ?? DEFAULT_BID_WINDOW_MS,
      weights: options.weights ?? {},
      onAward: options.onAward,
      local: NO_LOCAL_PEERS,
    };
    const reopenPresence = () => openPresenceBucket(options.nc, heartbeatMs * PRESENCE_TTL_HEARTBEATS, options.streamReplicas ?? 1);
    const host = new PeerHost(ctx, options.peers, options.auction !== false, presence, reopenPresence);
    await host.#start();
    return host;
  }

  async #start(): Promise<void> {
    for (const w of this.#workers) w.start();
    this.#bidder.start();
    for (const a of this.#announcers) await a.start();
    this.#settledSub = this.#ctx.nc.subscribe(settledSubject(this.#ctx.hostId));
    const sub = this.#settledSub;
    void (async () => {
      for await (const m of sub) {
        const parsed = Settled.safeParse(decodeJson(m.data));
        if (parsed.success) this.#ctx.local.settled(parsed.data);
      }
    })();
    this.#consumer?.start();
    this.#ctx.log.info({ peers: this.#workers.length }, "peer host started");
  }

  /** Needs this process is auctioning or supervising now. */
  get auctions(): number {
    return this.#auctions.size;
  }

  #onNeed(msg: JsMsg): void {
    if (this.#draining) {
      msg.nak();
      return;
    }
    const auction = NeedAuction.from(this.#ctx, msg, this.#stop.signal);
    if (auction === undefined) return;
    const running = this.#auctions.get(auction.needId);
    if (running !== undefined) {
      running.adopt(msg);
      return;
    }
    this.#auctions.set(auction.needId, auction);
    const task = auction.run().finally(() => {
      this.#auctions.delete(auction.needId);
      this.#running = this.#running.filter((r) => r !== task);
    });
    this.#running.push(task);
  }

  /**
   * Drains: stops bidding and pulling, hands the needs it supervises back to
   * JetStream for another process, lets steps in progress finish within
   * `graceMs` and releases the claims of those that do not. Then stops.
   */
  async drain(graceMs: number = DEFAULT_DRAIN_GRACE_MS): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    for (const a of this.#announcers) await a.announce();
    this.#bidder.stop();
    for (const w of this.#workers) w.drain();
    await this.#consumer?.stop();
    this.#stop.abort();
    await Promise.all(this.#running);
    await Promise.all(this.#workers.map((w) => w.finish(graceMs)));
    for (const a of this.#announcers) await a.stop();
    this.#settledSub?.unsubscribe();
    this.#ctx.directory.stop();
    this.#ctx.log.info("peer host drained");
  }
}
