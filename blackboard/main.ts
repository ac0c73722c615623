/**
 * The blackboard process: `node --import tsx blackboard/main.ts`. Reads its
 * configuration from the environment (see core/config.ts), serves /metrics,
 * and stops cleanly on SIGINT or SIGTERM. Its exit codes are those of every
 * casemesh process (EXIT_CODES in observability/run-process.ts).
 */
import { createRegistry, runProcess, serveMetrics } from "../observability/index.ts";
import { BlackboardReplica } from "./replica.ts";
import { ConfigError, connectNats } from "../core/index.ts";

await runProcess({
  role: "blackboard",
  async start({ config, logger }) {
    if (config.natsUrl === undefined) {
      throw new ConfigError("NATS_URL is not set; start the blackboard with `npm start`, or set NATS_URL", { variables: ["NATS_URL"] });
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
    return {
      ready: { nats: config.natsUrl, metrics: metrics.url, dir: config.blackboard.dir, appliedSeq: replica.appliedSeq },
      value: replica,
      async stop() {
        await replica.stop();
        await metrics.close();
        await nc.drain().catch(() => undefined);
      },
    };
  },
});
