import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import type { BlackboardClient } from "../blackboard/index.ts";
import { AGENT_DESK_SERVICE, CHANNEL_SERVICE } from "./proto.ts";

/** How often the gateway checks NATS and the blackboard. */
export const DEFAULT_HEALTH_INTERVAL_MS = 1_000;

/**
 * grpc.health.v1 for the gateway: SERVING only while NATS and at least one
 * blackboard replica answer within the probe's time. Reported for the whole
 * server ("") and for each casemesh service.
 */
export class GatewayHealth {
  readonly implementation = new HealthImplementation({ "": "NOT_SERVING", [CHANNEL_SERVICE]: "NOT_SERVING", [AGENT_DESK_SERVICE]: "NOT_SERVING" });
  readonly #nc: NatsConnection;
  readonly #blackboard: BlackboardClient;
  readonly #log: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #current: ServingStatus = "NOT_SERVING";
  #stopped = false;

  constructor(nc: NatsConnection, blackboard: BlackboardClient, log: Logger, intervalMs = DEFAULT_HEALTH_INTERVAL_MS) {
    this.#nc = nc;
    this.#blackboard = blackboard;
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  get status(): ServingStatus {
    return this.#current;
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

  /** Reports NOT_SERVING (a draining gateway) and stops probing. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#set("NOT_SERVING", "stopping");
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
    for (const service of ["", CHANNEL_SERVICE, AGENT_DESK_SERVICE]) this.implementation.setStatus(service, status);
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
