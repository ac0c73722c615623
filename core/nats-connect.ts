import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { UnavailableError } from "./errors.ts";

/** How long to wait between reconnect attempts. */
export const DEFAULT_RECONNECT_WAIT_MS = 250;

export interface ConnectOptions {
  /** One or more `nats://host:port` URLs, comma separated. */
  servers: string;
  /** Shown in the server's connection list; use the process role and id. */
  name: string;
  /** Fail the first connect after this long. @default 5000 */
  timeoutMs?: number;
}

/**
 * Connects to NATS for a long-lived casemesh process: it reconnects forever,
 * quickly, and buffers publishes while the server is away.
 */
export async function connectNats(options: ConnectOptions): Promise<NatsConnection> {
  try {
    return await connect({
      servers: options.servers.split(",").map((s) => s.trim()),
      name: options.name,
      timeout: options.timeoutMs ?? 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: DEFAULT_RECONNECT_WAIT_MS,
      reconnectJitter: 100,
      waitOnFirstConnect: false,
      pingInterval: 10_000,
      // Capturing a stack for every request cost ~12% of a busy auctioneer's CPU.
      noAsyncTraces: true,
    });
  } catch (err) {
    throw new UnavailableError(`cannot connect to NATS at ${options.servers}: ${String(err)}`, { cause: err });
  }
}

/**
 * True when a JetStream-enabled server answers at `url` within `timeoutMs`.
 * Used by `npm start` to decide whether it must spawn its own server.
 */
export async function jetStreamAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: url, timeout: timeoutMs, maxReconnectAttempts: 0, reconnect: false });
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    await jsm.getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}
