import { status as grpcStatus, type Server, type ServerWritableStream, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { BlackboardClient } from "../blackboard/index.ts";
import { AGENT_DESK_SERVICE, CHANNEL_SERVICE } from "./proto.ts";

/** How often the gateway checks NATS and the blackboard. */
export const DEFAULT_HEALTH_INTERVAL_MS = 1_000;

/** Why a Watch of a stopping gateway ends. */
const STOPPING = "the gateway is shutting down; its last status was NOT_SERVING";

/**
 * grpc.health.v1 for the gateway: SERVING only while NATS and at least one
 * blackboard replica answer within the probe's time. Reported for the whole
 * server ("") and for each casemesh service. When the gateway stops, Watch
 * streams get NOT_SERVING and then end with UNAVAILABLE, so that a client
 * watching health (gRPC client-side health checking keeps one open per
 * connection) does not hold the shutdown for its whole grace period.
 */
export class GatewayHealth {
  readonly #implementation = new HealthImplementation({ "": "NOT_SERVING", [CHANNEL_SERVICE]: "NOT_SERVING", [AGENT_DESK_SERVICE]: "NOT_SERVING" });
  readonly #nc: NatsConnection;
  readonly #blackboard: BlackboardClient;
  readonly #log: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #current: ServingStatus = "NOT_SERVING";
  #stopped = false;
  readonly #watches = new Set<ServerWritableStream<unknown, unknown>>();

  constructor(nc: NatsConnection, blackboard: BlackboardClient, log: Logger, intervalMs = DEFAULT_HEALTH_INTERVAL_MS) {
    this.#nc = nc;
    this.#blackboard = blackboard;
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  get status(): ServingStatus {
    return this.#current;
  }

  /** Serves grpc.health.v1 on `server`, keeping track of open Watch streams. */
  addToServer(server: Server): void {
    this.#implementation.addToServer({
      addService: (service, handlers) => {
        const key = Object.keys(handlers).find((k) => k.toLowerCase() === "watch") ?? "watch";
        const watch = handlers[key] as ((call: ServerWritableStream<unknown, unknown>) => void) | undefined;
        const tracked = (call: ServerWritableStream<unknown, unknown>) => {
          if (this.#stopped) {
            call.emit("error", { code: grpcStatus.UNAVAILABLE, details: STOPPING });
            return;
          }
          this.#watches.add(call);
          const forget = () => this.#watches.delete(call);
          call.once("cancelled", forget);
          call.once("finish", forget);
          watch?.(call);
        };
        server.addService(service as ServiceDefinition, { ...(handlers as UntypedServiceImplementation), [key]: tracked });
      },
    });
  }

  /** Probes now and then on every interval until stopped. */
  async start(): Promise<void> {
    await this.#probe();
    const loop = async () => {
      if (this.#stopped) return;
      await this.#probe();
      if (!this.#stopped) this.#timer = setTimeout(() => void loop(), this.#intervalMs);
    };
    this.#timer = setTimeout(() => void loop(), this.#intervalMs);
  }

  /** Reports NOT_SERVING (a draining gateway), ends Watch streams after telling them, and stops probing. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#set("NOT_SERVING", "stopping");
    for (const call of this.#watches) call.emit("error", { code: grpcStatus.UNAVAILABLE, details: STOPPING });
    this.#watches.clear();
  }

  async #probe(): Promise<void> {
    const timeoutMs = Math.max(200, Math.floor(this.#intervalMs * 0.8));
    let problem: string | undefined;
    if (this.#nc.isClosed()) problem = "the NATS connection is closed";
    else {
      try {
        await withTimeout(this.#nc.flush(), timeoutMs, "NATS does not answer");
        await this.#blackboard.ping(timeoutMs);
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    }
    if (!this.#stopped) this.#set(problem === undefined ? "SERVING" : "NOT_SERVING", problem);
  }

  #set(status: ServingStatus, why: string | undefined): void {
    if (status === this.#current) return;
    this.#current = status;
    for (const service of ["", CHANNEL_SERVICE, AGENT_DESK_SERVICE]) this.#implementation.setStatus(service, status);
    if (status === "SERVING") this.#log.info("health: SERVING");
    else this.#log.warn({ why }, "health: NOT_SERVING");
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
