/**
 * The gRPC gateway: channel and agent desk services on one server and the
 * credentials that guard it. The desk board it shares with the human-desk peer
 * lives in the blackboard. `gateway/main.ts` runs it as a process.
 */
export { GatewayServer, MAX_REQUEST_BYTES, DEFAULT_SHUTDOWN_GRACE_MS } from "./server.ts";
export type { GatewayServerOptions } from "./server.ts";
export { Authenticator, CredentialEntry, CredentialList, MAX_CREDENTIAL_CHARS, hashCredential, loadCredentials } from "./credentials.ts";
export type { Principal } from "./credentials.ts";
export { newCredential } from "./new-credential.ts";
export { loadApi, CHANNEL_SERVICE, AGENT_DESK_SERVICE } from "./proto.ts";
export type { LoadedApi } from "./proto.ts";
export { CUSTOMER_FACING_KINDS } from "./case-events.ts";
export { INTAKE_CAPABILITY, INTAKE_FALLBACK } from "./intake.ts";
export { DEFAULT_HEALTH_INTERVAL_MS } from "./health.ts";
export { DEFAULT_MAX_METADATA_BYTES } from "./rpc.ts";
export { MAX_ATTACHMENTS, MAX_ADDRESS_CHARS, MAX_CLIENT_MESSAGE_ID_CHARS } from "./requests.ts";
export { auth, call, caseStatusOf, channelClient, collect, eventKindOf } from "./client.ts";
export type { OutboundReply__Output } from "./generated/casemesh/v1/OutboundReply.ts";
export type { Timeline__Output } from "./generated/casemesh/v1/Timeline.ts";
export type { ChannelServiceClient } from "./generated/casemesh/v1/ChannelService.ts";
