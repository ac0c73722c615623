/**
 * The gateway process: `npm run gateway` (or started by `npm start`). Reads
 * its configuration from the environment (see core/config.ts), listens for
 * gRPC, serves /metrics, and on SIGINT or SIGTERM reports NOT_SERVING, lets
 * calls finish, and exits 0. Exits 2 on bad configuration (an address or
 * metrics port in use included), 1 when it cannot start for another reason
 * (NATS unreachable): EXIT_CODES in observability/run-process.ts.
 */
import { format } from "node:util";
import { setLogger } from "@grpc/grpc-js";
import { openMeshClock } from "../blackboard/index.ts";
import { createRegistry, runProcess, serveMetrics } from "../observability/index.ts";
import { loadCredentials } from "./credentials.ts";
import { GatewayServer } from "./server.ts";
import { ConfigError, connectNats } from "../core/index.ts";

await runProcess({
  role: "gateway",
  prepare: (_env, config) => loadCredentials(config.gateway.credentials),
  async start({ config, prepared: credentials, logger }) {
    // grpc-js prints its own errors to stderr as plain text ("E No address added
    // ..."); send them through the JSON log so every line a collector reads parses.
    const grpcJs = { component: "grpc-js" };
    setLogger({
      error: (message?: unknown, ...rest: unknown[]) => logger.error(grpcJs, format(message, ...rest)),
      info: (message?: unknown, ...rest: unknown[]) => logger.info(grpcJs, format(message, ...rest)),
      debug: (message?: unknown, ...rest: unknown[]) => logger.debug(grpcJs, format(message, ...rest)),
    });
    if (config.natsUrl === undefined) {
      throw new ConfigError("NATS_URL is not set; start the gateway with `npm start`, or set NATS_URL", { variables: ["NATS_URL"] });
    }
    const nc = await connectNats({ servers: config.natsUrl, name: `gateway-${config.gateway.gatewayId}` });
    const registry = createRegistry({ role: "gateway" });
    const metrics = await serveMetrics(registry, config.metricsHost, config.gateway.metricsPort).catch((err: unknown) => {
      const where = `${config.metricsHost}:${config.gateway.metricsPort}`;
      throw new ConfigError(
        `the gateway cannot serve /metrics on ${where} (CASEMESH_GATEWAY_METRICS_PORT): ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, variables: ["CASEMESH_GATEWAY_METRICS_PORT"] },
      );
    });
    const clock = await openMeshClock(config.clock, nc, { registry, log: logger });
    const gateway = await GatewayServer.start({
      nc,
      clock,
      config: config.gateway,
      credentials,
      registry,
      logger,
      dedupWindowMs: config.dedupWindowMs,
    });
    return {
      ready: { address: gateway.address, metrics: metrics.url, credentials: credentials.length },
      value: gateway,
      async stop() {
        await gateway.stop();
        clock.stop();
        await metrics.close();
        await nc.drain().catch(() => undefined);
      },
    };
  },
});
