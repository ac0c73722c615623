/**
 * A small client of the gateway for Node programs (channel back ends, the
 * demo, tests): grpc-js clients of both services, built from the same proto
 * the gateway serves, and a promise-returning unary call with the credential
 * sent as `authorization: Bearer <credential>`. Enum fields arrive by name
 * (`CASE_STATUS_RESOLVED`, `CASE_EVENT_KIND_REPLY_DRAFTED`); `caseStatusOf`
 * and `eventKindOf` give the blackboard's names (`resolved`, `reply.drafted`)
 * back. A timeline fact's `kind` is the fact kind itself (`credit.applied`).
 *
 * ```ts
 * const chat = channelClient("127.0.0.1:50051");
 * const sent = await call(chat, "Send", { channel: "CHAT", address: "chat-ada", text: "Hi", client_message_id: "m-1" }, credential);
 * ```
 */
import {
  Metadata,
  credentials as grpcCredentials,
  loadPackageDefinition,
  type CallOptions,
  type ChannelCredentials,
  type ClientReadableStream,
  type ClientUnaryCall,
  type requestCallback,
  type ServiceError,
} from "@grpc/grpc-js";
import type { ProtoGrpcType as AgentDeskProto } from "./generated/agent_desk.ts";
import type { AgentDeskServiceClient } from "./generated/casemesh/v1/AgentDeskService.ts";
import type { ChannelServiceClient } from "./generated/casemesh/v1/ChannelService.ts";
import type { ProtoGrpcType as ChannelProto } from "./generated/channel.ts";
import { loadApi } from "./proto.ts";

export { caseStatusOf, eventKindOf } from "./proto-enums.ts";

let api: (ChannelProto & AgentDeskProto) | undefined;
const services = () => (api ??= loadPackageDefinition(loadApi().packageDefinition) as unknown as ChannelProto & AgentDeskProto);

/** A grpc-js client of the channel service at `address` (plaintext unless `creds` say otherwise). */
export function channelClient(address: string, creds: ChannelCredentials = grpcCredentials.createInsecure()): ChannelServiceClient {
  return new (services().casemesh.v1.ChannelService)(address, creds);
}

/** A grpc-js client of the agent desk service at `address`. */
export function deskClient(address: string, creds: ChannelCredentials = grpcCredentials.createInsecure()): AgentDeskServiceClient {
  return new (services().casemesh.v1.AgentDeskService)(address, creds);
}

/** Metadata carrying `authorization: Bearer <credential>` (none for undefined). */
export function auth(credential: string | undefined): Metadata {
  const md = new Metadata();
  if (credential !== undefined) md.set("authorization", `Bearer ${credential}`);
  return md;
}

/** The request and response types of a generated unary method (read from its last overload). */
export type RequestOf<F> = F extends (argument: infer Req, callback: requestCallback<infer _Res>) => ClientUnaryCall ? Req : never;
export type ResponseOf<F> = F extends (argument: infer _Req, callback: requestCallback<infer Res>) => ClientUnaryCall ? Res : never;

/** How long a call may take unless the caller says: 10 s. */
export const DEFAULT_CALL_DEADLINE_MS = 10_000;

/** Calls unary `method` of `client` with a credential; resolves with the response or rejects with the ServiceError. */
export function call<C extends object, K extends keyof C & string>(
  client: C,
  method: K,
  req: RequestOf<C[K]>,
  credential: string | undefined,
  options: CallOptions = {},
): Promise<ResponseOf<C[K]>> {
  return new Promise((resolve, reject) => {
    const fn = client[method] as unknown as (req: unknown, md: Metadata, options: CallOptions, cb: requestCallback<ResponseOf<C[K]>>) => unknown;
    fn.call(client, req, auth(credential), { deadline: Date.now() + DEFAULT_CALL_DEADLINE_MS, ...options }, (err, res) => {
      if (err !== null) reject(err);
      else if (res === undefined) reject(new Error(`${method}: no response`));
      else resolve(res);
    });
  });
}

/** Collects a server stream's messages as they arrive; `ended` resolves with the error that ended it, or null. */
export function collect<T>(stream: ClientReadableStream<T>): { items: T[]; ended: Promise<ServiceError | null> } {
  const items: T[] = [];
  stream.on("data", (m: T) => items.push(m));
  const ended = new Promise<ServiceError | null>((resolve) => {
    stream.on("error", (err: ServiceError) => resolve(err));
    stream.on("end", () => resolve(null));
  });
  return { items, ended };
}
