/**
 * The gateway process: `npm run gateway` (or started by `npm start`). Reads
 * its configuration from the environment (see core/config.ts), listens for
 * gRPC, serves /metrics, and on SIGINT or SIGTERM reports NOT_SERVING, lets
 * calls finish, and exits 0. Exits 2 on bad configuration.
 */
import { loadConfig } from "../core/config.ts";
import { CasemeshError } from "../core/errors.ts";
import { connectNats } from "../core/nats-connect.ts";
import { createLogger } from "../observability/logger.ts";
import { createRegistry, serveMetrics } from "../observability/metrics-server.ts";
import { loadCredentials } from "./credentials.ts";
import { GatewayServer } from "./server.ts";

const EXIT_CONFIG = 2;

const logger = createLogger({ role: "gateway", level: process.env["LOG_LEVEL"] === "silent" ? "silent" : "info" });
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
  const metrics = await serveMetrics(registry, config.metricsHost, config.gateway.metricsPort);
  const gateway = await GatewayServer.start({
    nc,
    config: config.gateway,
    credentials,
    registry,
    logger,
    dedupWindowMs: config.dedupWindowMs,
  });
  logger.info({ address: gateway.address, metrics: metrics.url, credentials: credentials.length }, "gateway ready");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "gateway stopping");
    await gateway.stop();
    await metrics.close();
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
} catch (err) {
  if (err instanceof CasemeshError && err.code === "CONFIG_INVALID") {
    logger.fatal(err.message);
    process.exit(EXIT_CONFIG);
  }
  throw err;
}
