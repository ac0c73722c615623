import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { protoPath as healthProtoPath } from "grpc-health-check";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { ConfigError, type GatewayConfig, type MeshClock } from "../core/index.ts";
import { channelService } from "./channel-service.ts";
import { Authenticator, type CredentialEntry } from "./credentials.ts";
import { BlackboardClient, ContactDirectory, deskBoardOpener, FactWriter, SealedStore } from "../blackboard/index.ts";
import { agentDeskService } from "./desk-service.ts";
import { GatewayHealth } from "./health.ts";
import { Intake } from "./intake.ts";
import { gatewayMetrics } from "./metrics.ts";
import { loadApi } from "./proto.ts";
import { RpcGuard } from "./rpc.ts";

/** The largest request message accepted, in bytes; larger ones get RESOURCE_EXHAUSTED from grpc-js. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** How long a stopping gateway lets calls finish before cutting them. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * The reflection service's own protos, as @grpc/reflection ships them: with
 * them, reflection lists itself among the services, as grpcurl expects.
 */
const REFLECTION_PROTOS = ["v1", "v1alpha"].map((v) =>
  join(dirname(createRequire(import.meta.url).resolve("@grpc/reflection/package.json")), "build", "proto", "grpc", "reflection", v, "reflection.proto"),
);

export interface GatewayServerOptions {
  nc: NatsConnection;
  config: Pick<GatewayConfig, "address" | "tls" | "maxInFlight" | "maxStreams" | "gatewayId">;
  credentials: readonly CredentialEntry[];
  registry: Registry;
  logger: Logger;
  dedupWindowMs: number;
  /** The mesh clock the facts it writes are stamped with. @default the wall clock */
  clock?: MeshClock;
  /** @default DEFAULT_HEALTH_INTERVAL_MS */
  healthIntervalMs?: number;
}

/**
 * One gateway: the channel and agent desk services, health and reflection,
 * on one gRPC server. It holds no case state; any number can serve the same
 * cases side by side.
 */
export class GatewayServer {
  readonly #server: Server;
  readonly health: GatewayHealth;
  /** host:port it listens on (the real port when 0 was asked for). */
  readonly address: string;
  readonly #log: Logger;

  readonly #guard: RpcGuard;

  private constructor(server: Server, guard: RpcGuard, health: GatewayHealth, address: string, log: Logger) {
    this.#server = server;
    this.#guard = guard;
    this.health = health;
    this.address = address;
    this.#log = log;
  }

  static async start(options: GatewayServerOptions): Promise<GatewayServer> {
    const { nc, config, logger } = options;
    const log = logger.child({ gateway: config.gatewayId });
    const blackboard = new BlackboardClient(nc);
    const writer = await FactWriter.create({
      nc,
      source: { peer: config.gatewayId, capability: "gateway", version: "1" },
      registry: options.registry,
      dedupWindowMs: options.dedupWindowMs,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const guard = new RpcGuard({
      auth: new Authenticator(options.credentials),
      metrics: gatewayMetrics(options.registry),
      log,
      maxInFlight: config.maxInFlight,
      maxStreams: config.maxStreams,
    });
    const api = loadApi();
    const server = new Server({
      "grpc.max_receive_message_length": MAX_REQUEST_BYTES,
    });
    const sealed = await SealedStore.open(nc);
    const intake = new Intake({ writer, blackboard, contacts: await ContactDirectory.open(nc), sealed });
    // One desk board for both services, opened on the first desk call.
    const deskBoard = deskBoardOpener(nc);
    server.addService(api.channel, channelService({ nc, blackboard, writer, intake, sealed, guard, deskBoard }));
    server.addService(api.agentDesk, agentDeskService({ nc, blackboard, writer, guard, log, gatewayId: config.gatewayId, board: deskBoard }));
    const health = new GatewayHealth(nc, blackboard, log, options.healthIntervalMs);
    health.addToServer(server);
    new ReflectionService({ ...api.packageDefinition, ...loadSync([healthProtoPath, ...REFLECTION_PROTOS]) }).addToServer(server);

    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(config.address, serverCredentials(config.tls), (err, bound) => (err === null ? resolve(bound) : reject(err)));
    }).catch((err: unknown) => {
      throw new ConfigError(`the gateway cannot listen on ${config.address}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, variables: ["CASEMESH_GATEWAY_ADDRESS"] });
    });
    const host = config.address.slice(0, config.address.lastIndexOf(":"));
    await health.start();
    const gateway = new GatewayServer(server, guard, health, `${host}:${port}`, log);
    log.info({ address: gateway.address, tls: config.tls !== undefined, mtls: config.tls?.clientCaFile !== undefined }, "gateway listening");
    return gateway;
  }

  /**
   * Reports NOT_SERVING, ends open streams with UNAVAILABLE (their clients
   * resume elsewhere), lets unary calls finish for up to `graceMs`, then cuts
   * the rest.
   */
  async stop(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    this.health.stop();
    this.#guard.closeStreams();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#log.info("gateway stopped");
  }
}

function serverCredentials(tls: GatewayConfig["tls"]): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(`cannot read the gateway's TLS ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const ca = tls.clientCaFile === undefined ? null : read(tls.clientCaFile, "client CA");
  return ServerCredentials.createSsl(ca, [{ cert_chain: read(tls.certFile, "certificate"), private_key: read(tls.keyFile, "key") }], ca !== null);
}
