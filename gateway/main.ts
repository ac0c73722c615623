/**
 * The gateway process: `npm run gateway` (or started by `npm start`). Reads
 * its configuration from the environment (see core/config.ts), listens for
 * gRPC, serves /metrics, and on SIGINT or SIGTERM reports NOT_SERVING, lets
 * calls finish, and exits 0. Exits 2 on bad configuration, 1 when it cannot
 * start for another reason (NATS unreachable).
 */
import { format } from "node:util";
import { setLogger } from "@grpc/grpc-js";
import { openMeshClock } from "../blackboard/index.ts";
import { createLogger, createRegistry, serveMetrics } from "../observability/index.ts";
import { loadCredentials } from "./credentials.ts";
import { GatewayServer } from "./server.ts";
import { CasemeshError, ConfigError, connectNats, loadConfig, onStop } from "../core/index.ts";

const EXIT_CONFIG = 2;
const EXIT_FAILED = 1;

const logger = createLogger({ role: "gateway", level: process.env["LOG_LEVEL"] === "silent" ? "silent" : "info" });
// grpc-js prints its own errors to stderr as plain text ("E No address added
// ..."); send them through the JSON log so every line a collector reads parses.
const grpcJs = { component: "grpc-js" };
setLogger({
  error: (message?: unknown, ...rest: unknown[]) => logger.error(grpcJs, format(message, ...rest)),
  info: (message?: unknown, ...rest: unknown[]) => logger.info(grpcJs, format(message, ...rest)),
  debug: (message?: unknown, ...rest: unknown[]) => logger.debug(grpcJs, format(message, ...rest)),
});
try {
  const config = loadConfig();
  logger.level = config.logLevel;
  if (config.natsUrl === undefined) {
    logger.fatal("NATS_URL is not set; start the gateway with `npm start`, or set NATS_URL");
    process.exit(EXIT_CONFIG);
  }
  const credentials = loadCredentials(config.gateway.credentials);
  const nc = await connectNats({ servers: config.natsUrl, name: `gateway-${config.gateway.gatewayId}` });
  const registry = createRegistry({ role: "gateway" });
  const metrics = await serveMetrics(registry, config.metricsHost, config.gateway.metricsPort).catch((err: unknown) => {
    const where = `${config.metricsHost}:${config.gateway.metricsPort}`;
    throw new ConfigError(`the gateway cannot serve /metrics on ${where} (CASEMESH_GATEWAY_METRICS_PORT): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
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
  logger.info({ address: gateway.address, metrics: metrics.url, credentials: credentials.length }, "gateway ready");

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "gateway stopping");
    await gateway.stop();
    clock.stop();
    await metrics.close();
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  onStop((reason) => void shutdown(reason));
} catch (err) {
  if (err instanceof CasemeshError && err.code === "CONFIG_INVALID") {
    logger.fatal(err.message);
    process.exit(EXIT_CONFIG);
  }
  // Anything else (NATS unreachable, ...) may pass: exit 1 for a supervisor to retry, with a log line that parses.
  logger.fatal({ code: err instanceof CasemeshError ? err.code : "INTERNAL" }, `the gateway did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(EXIT_FAILED);
}
