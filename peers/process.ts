import { openMeshClock } from "../blackboard/index.ts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import { z } from "zod";
import { createRegistry, DEFAULT_PROCESS_STOP_GRACE_MS, type Logger, runProcess, serveMetrics } from "../observability/index.ts";
import type { PeerDefinition } from "./define-peer.ts";
import { PeerId } from "./protocol.ts";
import { PeerHost } from "./host.ts";
import type { WeightTable } from "./utility.ts";
import { type Config, ConfigError, connectNats, envConfigError, type MeshClock } from "../core/index.ts";

/** The log message of a peer process once its peers serve (`npm start` reads the IPC ready message instead). */
export const PEERS_READY_MSG = "peers ready";

/** What a peer process has once it is connected: for peers that need the connection (a ledger, a timer loop). */
export interface PeerProcess<P = undefined> {
  nc: NatsConnection;
  registry: Registry;
  logger: Logger;
  config: Config;
  /** The mesh clock (CASEMESH_CLOCK): the wall clock, or the shared one `npm start` runs on. */
  clock: MeshClock;
  /** What `prepare` returned (see {@link RunPeersOptions}). */
  prepared: P;
}

/** Work a peer process runs beside its peers (a timer loop); stopped before the peers drain. */
export interface Sidecar {
  stop(): Promise<void>;
}

export interface RunPeersOptions<P = undefined> {
  /** Names the process in logs and metrics. @default "peers" */
  role?: string;
  weights?: WeightTable;
  /**
   * Parses the process's own environment and files (PEER_ID, a peer's
   * settings, its data) before anything connects; a ConfigError thrown here
   * exits 2. Its result is `prepared` in {@link PeerProcess}. Write the
   * parameter's type (`(env: NodeJS.ProcessEnv) => ...`), so TypeScript infers
   * `P` from it before it types the peers function.
   */
  prepare?: (env: NodeJS.ProcessEnv, config: Config) => P;
  /** The environment the process reads. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Started once the peers are up; a ConfigError thrown here exits 2. */
  sidecar?: (process: PeerProcess<P>) => Promise<Sidecar>;
}

/**
 * Runs `peers` as this process's job (through runProcess, so with the exit
 * codes and stop rules of every casemesh process): reads the environment
 * (NATS_URL, CASEMESH_LEASE_MS, CASEMESH_HEARTBEAT_MS,
 * CASEMESH_PEER_METRICS_PORT, ...), serves /metrics, logs "peers ready" and
 * tells a supervisor it is ready, and on SIGTERM or SIGINT drains (stops
 * bidding, finishes or releases its claims within CASEMESH_DRAIN_GRACE_MS)
 * and exits 0.
 *
 * ```ts
 * await runPeers([myPeer]);
 * ```
 *
 * Peers that need the process's NATS connection are made by a function of
 * it; a ConfigError thrown while making them exits 2.
 */
export async function runPeers<P = undefined>(
  peers: PeerDefinition[] | ((process: PeerProcess<P>) => Promise<PeerDefinition[]> | PeerDefinition[]),
  options: RunPeersOptions<P> = {},
): Promise<PeerHost> {
  const role = options.role ?? "peers";
  return runProcess<PeerHost, P>({
    role,
    readyMessage: PEERS_READY_MSG,
    ...(options.prepare === undefined ? {} : { prepare: options.prepare }),
    ...(options.env === undefined ? {} : { env: options.env }),
    // The drain's grace, and time to close after it.
    stopGraceMs: (config) => config.peers.drainGraceMs + DEFAULT_PROCESS_STOP_GRACE_MS,
    async start({ config, prepared, logger }) {
      if (config.natsUrl === undefined) {
        throw new ConfigError("NATS_URL is not set; start peers with `npm start`, or set NATS_URL", { variables: ["NATS_URL"] });
      }
      const nc = await connectNats({ servers: config.natsUrl, name: `${role}-${config.peers.hostId}` });
      const registry = createRegistry({ role });
      const metrics = await serveMetrics(registry, config.metricsHost, config.peers.metricsPort);
      const clock = await openMeshClock(config.clock, nc, { registry, log: logger });
      const resources: PeerProcess<P> = { nc, registry, logger, config, clock, prepared };
      let host: PeerHost;
      let defined: PeerDefinition[];
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
        await nc.close().catch(() => undefined);
        await metrics.close().catch(() => undefined);
        throw err;
      }
      return {
        ready: { hostId: config.peers.hostId, peers: defined.map((p) => p.id), metrics: metrics.url, nats: config.natsUrl },
        value: host,
        async stop() {
          logger.info({ graceMs: config.peers.drainGraceMs }, "draining");
          await sidecar?.stop();
          await host.drain(config.peers.drainGraceMs);
          clock.stop();
          await metrics.close();
          await nc.drain().catch(() => undefined);
          logger.info("drained; exiting");
        },
      };
    },
  });
}

/** PEER_ID, as the reference peer processes and the example read it; its description is its row in docs/configuration.md. */
export const PeerIdEnv = z.object({
  PEER_ID: PeerId.optional().meta({ description: "The peer's id; `npm start` sets it for each copy (<kind>-<n>), and each copy needs its own.", whenUnset: "<kind>-1" }),
});

/** Parses PEER_ID; `fallback` when unset or empty. @throws ConfigError naming PEER_ID. */
export function loadPeerId(env: NodeJS.ProcessEnv, fallback: string): string {
  const value = env["PEER_ID"];
  const parsed = PeerIdEnv.safeParse(value === undefined || value === "" ? {} : { PEER_ID: value });
  if (!parsed.success) throw envConfigError(parsed.error.issues);
  return parsed.data.PEER_ID ?? fallback;
}
