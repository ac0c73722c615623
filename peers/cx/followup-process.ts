import { z } from "zod";
import { clockFromEnv, type Clock } from "../../core/clock.ts";
import { loadConfig, type Config } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import { connectNats } from "../../core/nats-connect.ts";
import { createLogger } from "../../observability/logger.ts";
import { createRegistry, serveMetrics } from "../../observability/metrics-server.ts";
import { PeerHost } from "../host.ts";
import { PeerId } from "../protocol.ts";
import { DEFAULT_FOLLOWUP_PEER_ID, followupPeer } from "./followup.ts";
import { DEFAULT_TIMER_TICK_MS, TimerLoop } from "./followup-timers.ts";

/**
 * The follow-up peer as a process: the `followup.schedule` capability and the
 * timer loop on one NATS connection and one /metrics registry. Environment:
 * what every peer process reads (NATS_URL, CASEMESH_LEASE_MS, ...), plus
 * CASEMESH_FOLLOWUP_PEER_ID, CASEMESH_FOLLOWUP_TICK_MS and
 * CASEMESH_CLOCK_OFFSET_MS (the scheduling clock's shift, for tests).
 *
 * ```sh
 * NATS_URL=nats://127.0.0.1:4222 node --import tsx peers/cx/followup-process.ts
 * ```
 */

const FollowupEnv = z.object({
  CASEMESH_FOLLOWUP_PEER_ID: PeerId.default(DEFAULT_FOLLOWUP_PEER_ID),
  CASEMESH_FOLLOWUP_TICK_MS: z
    .string()
    .regex(/^\d+$/, "CASEMESH_FOLLOWUP_TICK_MS must be a number of milliseconds")
    .transform(Number)
    .refine((n) => n >= 10, "CASEMESH_FOLLOWUP_TICK_MS must be at least 10")
    .default(DEFAULT_TIMER_TICK_MS),
});

/** The follow-up process's own settings, parsed from the environment. */
export interface FollowupConfig {
  peerId: string;
  tickMs: number;
  clock: Clock;
}

/** Parses the follow-up settings; throws {@link ConfigError} naming the bad variable. */
export function loadFollowupConfig(env: NodeJS.ProcessEnv = process.env): FollowupConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && v !== "" && k in FollowupEnv.shape));
  const parsed = FollowupEnv.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { peerId: parsed.data.CASEMESH_FOLLOWUP_PEER_ID, tickMs: parsed.data.CASEMESH_FOLLOWUP_TICK_MS, clock: clockFromEnv(env) };
}

/**
 * Runs the follow-up peer as this process's job. On SIGTERM or SIGINT it stops
 * the timer loop (after the tick in progress), drains the peer and exits 0;
 * bad configuration exits 2.
 */
export async function runFollowup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  let followup: FollowupConfig;
  try {
    config = loadConfig(env);
    followup = loadFollowupConfig(env);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const logger = createLogger({ role: "followup", level: config.logLevel });
  if (config.natsUrl === undefined) {
    logger.fatal("NATS_URL is not set");
    process.exit(2);
  }
  const nc = await connectNats({ servers: config.natsUrl, name: `followup-${config.peers.hostId}` });
  const registry = createRegistry({ role: "followup" });
  const metrics = await serveMetrics(registry, config.metricsHost, config.peers.metricsPort);
  let host: PeerHost;
  try {
    host = await PeerHost.start({
      nc,
      peers: [followupPeer({ id: followup.peerId, clock: followup.clock })],
      hostId: config.peers.hostId,
      registry,
      logger,
      dedupWindowMs: config.dedupWindowMs,
      streamReplicas: config.streamReplicas,
      leaseMs: config.peers.leaseMs,
      heartbeatMs: config.peers.heartbeatMs,
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.fatal(err.message);
    await nc.close();
    await metrics.close();
    process.exit(2);
  }
  const timers = await TimerLoop.create({
    nc,
    clock: followup.clock,
    registry,
    logger,
    peerId: followup.peerId,
    dedupWindowMs: config.dedupWindowMs,
    streamReplicas: config.streamReplicas,
    tickMs: followup.tickMs,
  });
  timers.start();
  logger.info(
    { peerId: followup.peerId, hostId: config.peers.hostId, tickMs: followup.tickMs, clockSkewMs: followup.clock.now() - Date.now(), metrics: metrics.url },
    "followup ready",
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining");
    await timers.stop();
    await host.drain(config.peers.drainGraceMs);
    await metrics.close();
    await nc.drain().catch(() => undefined);
    logger.info("drained; exiting");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

if (import.meta.url === `file://${process.argv[1]}`) await runFollowup();
