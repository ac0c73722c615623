import { openMeshClock } from "../blackboard/index.ts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import { createLogger, createRegistry, type Logger, serveMetrics } from "../observability/index.ts";
import type { PeerDefinition } from "./define-peer.ts";
import { PeerHost } from "./host.ts";
import type { WeightTable } from "./utility.ts";
import { type Config, ConfigError, connectNats, loadConfig, type MeshClock, onStop } from "../core/index.ts";

/** What a peer process has once it is connected: for peers that need the connection (a ledger, a timer loop). */
export interface PeerProcess {
  nc: NatsConnection;
  registry: Registry;
  logger: Logger;
  config: Config;
  /** The mesh clock (CASEMESH_CLOCK): the wall clock, or the shared one `npm start` runs on. */
  clock: MeshClock;
}

/** Work a peer process runs beside its peers (a timer loop); stopped before the peers drain. */
export interface Sidecar {
  stop(): Promise<void>;
}

export interface RunPeersOptions {
  /** Names the process in logs and metrics. @default "peers" */
  role?: string;
  weights?: WeightTable;
  /** Started once the peers are up; a ConfigError thrown here exits 2. */
  sidecar?: (process: PeerProcess) => Promise<Sidecar>;
}

/**
 * Runs `peers` as this process's job: reads the environment (NATS_URL,
 * CASEMESH_LEASE_MS, CASEMESH_HEARTBEAT_MS, CASEMESH_PEER_METRICS_PORT, ...),
 * serves /metrics, and on SIGTERM or SIGINT drains (stops bidding, finishes or
 * releases its claims within CASEMESH_DRAIN_GRACE_MS) and exits 0.
 *
 * ```ts
 * await runPeers([myPeer]);
 * ```
 *
 * Peers that need the process's NATS connection are made by a function of
 * it; a ConfigError thrown while making them exits 2.
 */
export async function runPeers(
  peers: PeerDefinition[] | ((process: PeerProcess) => Promise<PeerDefinition[]> | PeerDefinition[]),
  options: RunPeersOptions = {},
): Promise<PeerHost> {
  const role = options.role ?? "peers";
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const logger = createLogger({ role, level: config.logLevel });
  if (config.natsUrl === undefined) {
    logger.fatal("NATS_URL is not set; start peers with `npm start`, or set NATS_URL");
    process.exit(2);
  }
  const nc = await connectNats({ servers: config.natsUrl, name: `${role}-${config.peers.hostId}` });
  const registry = createRegistry({ role });
  const metrics = await serveMetrics(registry, config.metricsHost, config.peers.metricsPort);
  const clock = await openMeshClock(config.clock, nc, { registry, log: logger });
  const resources: PeerProcess = { nc, registry, logger, config, clock };
  let host: PeerHost;
  let defined: PeerDefinition[] = [];
  let sidecar: Sidecar | undefined;
  try {
    defined = typeof peers === "function" ? await peers(resources) : peers;
    host = await PeerHost.start({
      nc,
      peers: defined,
      hostId: config.peers.hostId,
      registry,
      logger,
      dedupWindowMs: config.dedupWindowMs,
      streamReplicas: config.streamReplicas,
      leaseMs: config.peers.leaseMs,
      heartbeatMs: config.peers.heartbeatMs,
      meshClock: clock,
      ...(options.weights === undefined ? {} : { weights: options.weights }),
    });
    sidecar = await options.sidecar?.(resources);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.fatal(err.message);
    process.stderr.write(`${err.message}\n`);
    await nc.close();
    await metrics.close();
    process.exit(2);
  }
  logger.info(
    { hostId: config.peers.hostId, peers: defined.map((p) => p.id), metrics: metrics.url, nats: config.natsUrl },
    "peers ready",
  );
  const stop = async (signal: string) => {
    logger.info({ signal, graceMs: config.peers.drainGraceMs }, "draining");
    await sidecar?.stop();
    await host.drain(config.peers.drainGraceMs);
    clock.stop();
    await metrics.close();
    await nc.drain().catch(() => undefined);
    logger.info("drained; exiting");
    process.exit(0);
  };
  onStop((reason) => void stop(reason));
  return host;
}
