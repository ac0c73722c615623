/**
 * The blackboard process: `node --import tsx blackboard/main.ts`. Reads its
 * configuration from the environment (see core/config.ts), serves /metrics,
 * and stops cleanly on SIGINT or SIGTERM.
 */
import { createLogger, createRegistry, serveMetrics } from "../observability/index.ts";
import { BlackboardReplica } from "./replica.ts";
import { connectNats, loadConfig, onStop } from "../core/index.ts";

const config = loadConfig();
const logger = createLogger({ role: "blackboard", level: config.logLevel });
if (config.natsUrl === undefined) {
  logger.fatal("NATS_URL is not set; start the blackboard with `npm start`, or set NATS_URL");
  process.exit(2);
}
const nc = await connectNats({ servers: config.natsUrl, name: `blackboard-${config.blackboard.replicaId}` });
const registry = createRegistry({ role: "blackboard" });
const metrics = await serveMetrics(registry, config.metricsHost, config.blackboard.metricsPort);
const replica = await BlackboardReplica.start({
  nc,
  dir: config.blackboard.dir,
  replicaId: config.blackboard.replicaId,
  registry,
  logger,
  dedupWindowMs: config.dedupWindowMs,
  replicas: config.streamReplicas,
});
logger.info(
  { nats: config.natsUrl, metrics: metrics.url, dir: config.blackboard.dir, appliedSeq: replica.appliedSeq },
  "blackboard ready",
);

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, "blackboard stopping");
  await replica.stop();
  await metrics.close();
  await nc.drain().catch(() => undefined);
  process.exit(0);
}
onStop((reason) => void shutdown(reason));
