import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import type { Logger } from "pino";
import { Applier } from "./applier.ts";
import { factRegistry } from "./contract-registry.ts";
import { ContractStore } from "./contract-store.ts";
import { blackboardMetrics } from "./metrics.ts";
import { ProjectionStore } from "./projection-store.ts";
import { QueryServer } from "./query-server.ts";
import { ensureStreams, streamSettings } from "./streams.ts";

export interface BlackboardReplicaOptions {
  nc: NatsConnection;
  /** The level folder of this replica. */
  dir: string;
  /** Names this replica in status replies and logs. */
  replicaId: string;
  registry: Registry;
  logger: Logger;
  dedupWindowMs: number;
  /** JetStream replicas for the streams, if this replica creates them. @default 1 */
  replicas?: number;
}

/**
 * One blackboard replica: a level projection of the facts stream that
 * answers queries. Several replicas can run at once; each follows the whole
 * log and serves queries in one queue group.
 */
export class BlackboardReplica {
  readonly store: ProjectionStore;
  readonly replicaId: string;
  readonly #applier: Applier;
  readonly #queries: QueryServer;
  readonly #state: { stopping: Promise<void> | undefined };
  readonly #following: AbortController;

  private constructor(
    store: ProjectionStore,
    applier: Applier,
    queries: QueryServer,
    replicaId: string,
    state: { stopping: Promise<void> | undefined },
    following: AbortController,
  ) {
    this.#following = following;
    this.store = store;
    this.#applier = applier;
    this.#queries = queries;
    this.replicaId = replicaId;
    this.#state = state;
  }

  static async start(options: BlackboardReplicaOptions): Promise<BlackboardReplica> {
    const log = options.logger.child({ replicaId: options.replicaId });
    const jsm = await jetstreamManager(options.nc);
    await ensureStreams(jsm, streamSettings(options));
    const store = await ProjectionStore.open(options.dir);
    const state: { stopping: Promise<void> | undefined } = { stopping: undefined };
    // Scrapes after stop must not touch the closed folder.
    const metrics = blackboardMetrics(options.registry, () => (state.stopping === undefined ? store : undefined));
    // The mesh's contracts: share the core kinds, learn every kind shared
    // since (and look up any the log names before the watch has it).
    const contracts = await ContractStore.open(options.nc, options.replicas === undefined ? {} : { replicas: options.replicas });
    await contracts.publish(factRegistry);
    const following = new AbortController();
    contracts.follow(factRegistry, following.signal, log);
    const learn = (kind: string, v: number | undefined) => contracts.learn(factRegistry, kind, v);
    const applier = new Applier(store, jetstream(options.nc), jsm, metrics, log, learn);
    await applier.start();
    const queries = new QueryServer(options.nc, store, applier, metrics, log, options.replicaId);
    queries.start();
    const replica = new BlackboardReplica(store, applier, queries, options.replicaId, state, following);
    log.info({ dir: options.dir, appliedSeq: applier.lastSeq }, "blackboard replica started");
    return replica;
  }

  /** Sequence of the last log message applied. */
  get appliedSeq(): number {
    return this.#applier.lastSeq;
  }

  /** Resolves once the projection has applied `seq`. */
  waitFor(seq: number, timeoutMs = 10_000): Promise<void> {
    return this.#applier.waitFor(seq, timeoutMs);
  }

  /** Stops serving and applying, and closes the level folder. Safe to call twice. */
  stop(): Promise<void> {
    this.#state.stopping ??= (async () => {
      this.#following.abort();
      await this.#queries.stop();
      await this.#applier.stop();
      await this.store.close();
    })();
    return this.#state.stopping;
  }
}
