import { after } from "node:test";
import type { CallOptions, ChannelCredentials, ServiceError } from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import { DEFAULT_DEDUP_WINDOW_MS } from "../../core/config.ts";
import { hashCredential, type CredentialEntry } from "../../gateway/credentials.ts";
import { call, channelClient as newChannelClient, deskClient as newDeskClient, type RequestOf } from "../../gateway/client.ts";
import type { AgentDeskServiceClient } from "../../gateway/generated/casemesh/v1/AgentDeskService.ts";
import type { ChannelServiceClient } from "../../gateway/generated/casemesh/v1/ChannelService.ts";
import { GatewayServer, type GatewayServerOptions } from "../../gateway/server.ts";
import { createLogger } from "../../observability/logger.ts";
import { createRegistry } from "../../observability/metrics-server.ts";

export { auth, call, collect } from "../../gateway/client.ts";

/** Credentials the test gateways accept: the secret, and its configured entry. */
export const TOKENS = {
  chat: "test-chat-credential-0123456789",
  voice: "test-voice-credential-0123456789",
  email: "test-email-credential-0123456789",
  desk: "test-desk-credential-0123456789",
  operator: "test-operator-credential-0123456789",
} as const;

export const TEST_CREDENTIALS: CredentialEntry[] = [
  { id: "chat-backend", sha256: hashCredential(TOKENS.chat), channels: ["chat"], desk: false, operator: false },
  { id: "ivr", sha256: hashCredential(TOKENS.voice), channels: ["voice"], desk: false, operator: false },
  { id: "email-ingest", sha256: hashCredential(TOKENS.email), channels: ["email"], desk: false, operator: false },
  { id: "agent-desk", sha256: hashCredential(TOKENS.desk), channels: [], desk: true, operator: false },
  { id: "operator", sha256: hashCredential(TOKENS.operator), channels: [], desk: false, operator: true },
];

/** A gateway in this process on a free loopback port; stopped after the suite. */
export async function startGateway(
  nc: NatsConnection,
  options: Partial<Omit<GatewayServerOptions, "nc" | "config">> & { config?: Partial<GatewayServerOptions["config"]> } = {},
): Promise<GatewayServer> {
  const gateway = await GatewayServer.start({
    nc,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    registry: options.registry ?? createRegistry(),
    logger: options.logger ?? createLogger({ role: "gateway", level: "silent" }),
    dedupWindowMs: options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS,
    healthIntervalMs: options.healthIntervalMs ?? 200,
    config: { address: "127.0.0.1:0", tls: undefined, maxInFlight: 256, maxStreams: 64, gatewayId: "test-gw", ...options.config },
  });
  after(() => gateway.stop(0));
  return gateway;
}

/** A real grpc-js client of the channel service; closed after the suite. */
export function channelClient(address: string, creds?: ChannelCredentials): ChannelServiceClient {
  const client = newChannelClient(address, creds);
  after(() => client.close());
  return client;
}

/** A real grpc-js client of the agent desk service; closed after the suite. */
export function deskClient(address: string, creds?: ChannelCredentials): AgentDeskServiceClient {
  const client = newDeskClient(address, creds);
  after(() => client.close());
  return client;
}

/** Calls a unary method expecting failure; resolves with the ServiceError. */
export async function callFails<C extends object, K extends keyof C & string>(
  client: C,
  method: K,
  req: RequestOf<C[K]>,
  token: string | undefined,
  options: CallOptions = {},
): Promise<ServiceError> {
  let res: unknown;
  try {
    res = await call(client, method, req, token, options);
  } catch (err) {
    if (typeof err === "object" && err !== null && "code" in err) return err as ServiceError;
    throw err;
  }
  throw new Error(`expected ${method} to fail, got ${JSON.stringify(res)}`);
}
