import assert from "node:assert/strict";
import { connect, type IncomingHttpHeaders } from "node:http2";
import { join } from "node:path";
import { after, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import {
  Metadata,
  credentials,
  makeGenericClientConstructor,
  status,
  type CallOptions,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ServiceError,
  type StatusObject,
} from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { BlackboardClient, FACTS_STREAM, MAX_TEXT_CHARS, type Channel } from "../blackboard/index.ts";
import { NotFoundError } from "../core/errors.ts";
import { MAX_CREDENTIAL_CHARS } from "../gateway/credentials.ts";
import { PROTO_DIR, PROTO_FILES } from "../gateway/proto-files.ts";
import { MAX_ADDRESS_CHARS, MAX_ATTACHMENTS, MAX_CLIENT_MESSAGE_ID_CHARS } from "../gateway/requests.ts";
import { DEFAULT_MAX_METADATA_BYTES as MAX_METADATA_BYTES } from "../gateway/rpc.ts";
import { MAX_REQUEST_BYTES } from "../gateway/server.ts";
import type { SessionEvent__Output } from "../gateway/generated/casemesh/v1/SessionEvent.ts";
import { TOKENS, auth, call, channelClient, startGateway } from "./harness/gateway.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";

/**
 * Hostile callers. A table of malformed, oversized and unauthorised requests,
 * sent over real gRPC to a real gateway: each gets the right status and a
 * message naming what was wrong, the gateway keeps serving, and not one of
 * them leaves a fact in the log.
 */

const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gateway = await startGateway(nc);
const client = channelClient(gateway.address);
/** A second gateway that serves one request at a time. */
const busy = await startGateway(nc, { config: { maxInFlight: 1, gatewayId: "test-gw-busy" } });
const busyClient = channelClient(busy.address);
const blackboard = new BlackboardClient(nc);
const jsm = await jetstreamManager(nc);

/** How many facts the log holds, and the sequence of the last one. */
async function logState(): Promise<{ messages: number; lastSeq: number }> {
  const { state } = await jsm.streams.info(FACTS_STREAM);
  return { messages: state.messages, lastSeq: state.last_seq };
}

// ---- Raw requests -----------------------------------------------------------

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync([...PROTO_FILES], { keepCase: true });
root.resolveAll();

type Method = "Send" | "LinkAddress" | "GetTimeline" | "WatchCase" | "Session" | "Outbox" | "ConfirmDelivery";
const REQUEST_TYPES: Record<Method, string> = {
  Send: "SendRequest",
  LinkAddress: "LinkAddressRequest",
  GetTimeline: "GetTimelineRequest",
  WatchCase: "WatchCaseRequest",
  Session: "SessionRequest",
  Outbox: "OutboxRequest",
  ConfirmDelivery: "ConfirmDeliveryRequest",
};

/** A request object as the wire has it, encoded by protobufjs from the .proto. */
function encode(method: Method, request: object): Buffer {
  const type = root.lookupType(`casemesh.v1.${REQUEST_TYPES[method]}`);
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

/** Protobuf bytes written field by field: a string or bytes length-delimited, a number as a varint. */
function wire(...fields: [field: number, value: string | Uint8Array | number][]): Buffer {
  const w = protobuf.Writer.create();
  for (const [field, value] of fields) {
    if (typeof value === "number") w.uint32((field << 3) | 0).uint32(value);
    else if (typeof value === "string") w.uint32((field << 3) | 2).string(value);
    else w.uint32((field << 3) | 2).bytes(value);
  }
  return Buffer.from(w.finish());
}

/** Bytes that are not UTF-8: a stray continuation byte, an overlong slash, an encoded surrogate, a cut sequence. */
const NOT_UTF8 = {
  stray: Buffer.from([0x68, 0x69, 0xff, 0xfe]),
  overlong: Buffer.from([0x2e, 0x2e, 0xc0, 0xaf, 0x65, 0x74, 0x63]),
  surrogate: Buffer.from([0xed, 0xa0, 0x80]),
  cut: Buffer.from([0x41, 0xe2, 0x82]),
};

/** A client of the channel service that sends and receives bytes as they are. */
const raw = (() => {
  const bytes = (b: Buffer) => b;
  const method = (name: Method, requestStream: boolean, responseStream: boolean) => ({
    path: `/casemesh.v1.ChannelService/${name}`,
    requestStream,
    responseStream,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  });
  const Client = makeGenericClientConstructor(
    {
      Send: method("Send", false, false),
      LinkAddress: method("LinkAddress", false, false),
      GetTimeline: method("GetTimeline", false, false),
      WatchCase: method("WatchCase", false, true),
      Session: method("Session", true, true),
      Outbox: method("Outbox", false, true),
      ConfirmDelivery: method("ConfirmDelivery", false, false),
    },
    "casemesh.v1.ChannelService",
  );
  const c = new Client(gateway.address, credentials.createInsecure());
  after(() => c.close());
  return c;
})();

interface Outcome {
  code: status;
  details: string;
}

/** Sends `messages` on `method` with grpc-js; resolves with the call's final status. */
function viaGrpc(method: Method, messages: Buffer[], metadata: Metadata, options: CallOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const settle = (s: Pick<StatusObject, "code" | "details">) => resolve({ code: s.code, details: s.details });
    const first = messages[0] ?? Buffer.alloc(0);
    if (method === "WatchCase" || method === "Outbox") {
      const watch = raw[method] as (req: Buffer, md: Metadata, o: CallOptions) => ClientReadableStream<Buffer>;
      watch.call(raw, first, metadata, options).on("data", () => undefined).on("error", () => undefined).on("status", settle);
      return;
    }
    if (method === "Session") {
      const session = (raw["Session"] as (md: Metadata, o: CallOptions) => ClientDuplexStream<Buffer, Buffer>).call(raw, metadata, options);
      session.on("data", () => undefined).on("error", () => undefined).on("status", settle);
      for (const m of messages) session.write(m);
      session.end();
      return;
    }
    const unary = raw[method] as (req: Buffer, md: Metadata, o: CallOptions, cb: (err: ServiceError | null) => void) => void;
    unary.call(raw, first, metadata, options, (err) => settle(err ?? { code: status.OK, details: "" }));
  });
}

/**
 * Sends one unary request over bare HTTP/2, for what grpc-js will not send: a
 * deadline so short it is gone when the gateway reads it.
 */
async function viaHttp2(method: Method, body: Buffer, headers: Record<string, string>): Promise<Outcome> {
  const session = connect(`http://${gateway.address}`);
  session.on("error", () => undefined);
  try {
    return await new Promise<Outcome>((resolve, reject) => {
      const req = session.request({
        ":method": "POST",
        ":path": `/casemesh.v1.ChannelService/${method}`,
        "content-type": "application/grpc",
        te: "trailers",
        ...headers,
      });
      let head: IncomingHttpHeaders = {};
      let trailers: IncomingHttpHeaders | undefined;
      req.on("response", (h) => (head = h));
      req.on("trailers", (t) => (trailers = t));
      req.on("data", () => undefined);
      req.on("error", reject);
      req.on("close", () => {
        const final = trailers ?? head;
        const code = Number(final["grpc-status"]);
        if (!Number.isInteger(code)) return reject(new Error(`no grpc-status in ${JSON.stringify(final)}`));
        resolve({ code, details: decodeURIComponent(String(final["grpc-message"] ?? "")) });
      });
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(body.length, 1);
      req.end(Buffer.concat([prefix, body]));
    });
  } finally {
    session.close();
  }
}

// ---- The table ----------------------------------------------------------------

/** How a row authenticates: a credential sent as `Bearer <it>`, or exactly these authorization values. */
type Credential = string | { authorization: string[] };
const NO_CREDENTIAL: Credential = { authorization: [] };

interface Row {
  name: string;
  method: Method;
  /** An object protobufjs encodes, or bytes sent as they are; for Session, the requests in order. */
  request: object | Buffer | (object | Buffer)[];
  /** @default TOKENS.chat */
  credential?: Credential;
  /** More metadata (or, over HTTP/2, headers). */
  metadata?: Record<string, string>;
  /** The deadline, relative to when the row is sent. @default 5_000 */
  deadlineMs?: number;
  /** Sent over bare HTTP/2 rather than grpc-js. */
  http2?: true;
  code: status;
  /** Must name what was wrong: the field, the header, the bound. */
  message: RegExp;
}

/** Every address and client message id a row used; none may ever reach the blackboard. */
const issued: string[] = [];
/** A fresh address and client message id. */
function fresh(): string {
  const id = `hostile-${issued.length + 1}`;
  issued.push(id);
  return id;
}

/** A valid chat SendRequest with fresh ids, changed by `over`. */
function send(over: object = {}): object {
  const id = fresh();
  return { channel: "CHAT", address: id, text: "Where is my parcel?", client_message_id: id, attachments: [], ...over };
}

/** A valid SendRequest's bytes with `field` appended again as `bytes`: the last value of a field wins. */
function sendWith(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([encode("Send", send()), wire([field, bytes])]);
}

function attachment(over: object = {}): object {
  return { name: "receipt.pdf", content_type: "application/pdf", size_bytes: "2048", ...over };
}

const open = (over: object = {}) => ({ open: { channel: "CHAT", address: fresh(), after_seq: "0", ...over } });
const message = (over: object = {}) => ({ message: { text: "hello", client_message_id: fresh(), attachments: [], ...over } });

// The only legitimate calls before the table: the customer LinkAddress rows
// link from, and another customer whose email address one of them tries to take.
const owner = await call(client, "send", { channel: "CHAT", address: "owner-chat", text: "I need help", client_message_id: "owner-1" }, TOKENS.chat);
await call(client, "send", { channel: "EMAIL", address: "taken@example.com", text: "Hello from email", client_message_id: "taken-1" }, TOKENS.email);
const baseline = await logState();

const { INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION, DEADLINE_EXCEEDED } = status;

const ROWS: Row[] = [
  // Send: fields
  { name: "channel missing (CHANNEL_UNSPECIFIED)", method: "Send", request: send({ channel: "CHANNEL_UNSPECIFIED" }), code: INVALID_ARGUMENT, message: /at channel: must be one of CHAT, VOICE, EMAIL, SELF_SERVICE/ },
  { name: "an unknown channel number", method: "Send", request: send({ channel: 99 }), code: INVALID_ARGUMENT, message: /at channel: must be one of/ },
  { name: "address empty", method: "Send", request: send({ address: "" }), code: INVALID_ARGUMENT, message: /at address: is required/ },
  { name: "address only whitespace", method: "Send", request: send({ address: " \t " }), code: INVALID_ARGUMENT, message: /at address: must be printable/ },
  { name: "address one character too long", method: "Send", request: send({ address: fresh().padEnd(MAX_ADDRESS_CHARS + 1, "a") }), code: INVALID_ARGUMENT, message: new RegExp(`at address: must be at most ${MAX_ADDRESS_CHARS} characters`) },
  { name: "address with a NUL", method: "Send", request: send({ address: `${fresh()}\u0000` }), code: INVALID_ARGUMENT, message: /at address: must be printable/ },
  { name: "text missing", method: "Send", request: send({ text: "" }), code: INVALID_ARGUMENT, message: /at text: is required/ },
  { name: "text only whitespace", method: "Send", request: send({ text: " \n\t " }), code: INVALID_ARGUMENT, message: /at text: must not be only whitespace/ },
  { name: "text of MAX_TEXT_CHARS + 1", method: "Send", request: send({ text: "x".repeat(MAX_TEXT_CHARS + 1) }), code: INVALID_ARGUMENT, message: new RegExp(`at text: must be at most ${MAX_TEXT_CHARS} characters`) },
  { name: "text of 1 MB (over MAX_REQUEST_BYTES)", method: "Send", request: send({ text: "x".repeat(1 << 20) }), code: RESOURCE_EXHAUSTED, message: new RegExp(`larger than max \\(\\d+ vs ${MAX_REQUEST_BYTES}\\)`) },
  { name: "text with a NUL", method: "Send", request: send({ text: "refund\u0000please" }), code: INVALID_ARGUMENT, message: /at text: must not contain control characters/ },
  { name: "text with an ANSI escape", method: "Send", request: send({ text: "\u001b[2J\u001b[31mpwned" }), code: INVALID_ARGUMENT, message: /at text: must not contain control characters/ },
  { name: "text with a C1 control", method: "Send", request: send({ text: "next\u0085line" }), code: INVALID_ARGUMENT, message: /at text: must not contain control characters/ },
  { name: "client_message_id missing", method: "Send", request: send({ client_message_id: "" }), code: INVALID_ARGUMENT, message: /at client_message_id: is required/ },
  { name: "client_message_id with spaces", method: "Send", request: send({ client_message_id: "id with spaces" }), code: INVALID_ARGUMENT, message: /at client_message_id: must be printable ASCII without spaces/ },
  { name: "client_message_id not ASCII", method: "Send", request: send({ client_message_id: "ид-1" }), code: INVALID_ARGUMENT, message: /at client_message_id: must be printable ASCII/ },
  { name: "client_message_id one character too long", method: "Send", request: send({ client_message_id: "m".repeat(MAX_CLIENT_MESSAGE_ID_CHARS + 1) }), code: INVALID_ARGUMENT, message: new RegExp(`at client_message_id: must be at most ${MAX_CLIENT_MESSAGE_ID_CHARS} characters`) },
  { name: "too many attachments", method: "Send", request: send({ attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, () => attachment()) }), code: INVALID_ARGUMENT, message: new RegExp(`at attachments: must list at most ${MAX_ATTACHMENTS} attachments`) },
  { name: "attachment content_type not a media type", method: "Send", request: send({ attachments: [attachment({ content_type: "pdf; rm -rf /" })] }), code: INVALID_ARGUMENT, message: /at attachments\.0\.content_type: must be a media type/ },
  { name: "attachment content_type too long for a fact", method: "Send", request: send({ attachments: [attachment({ content_type: `application/${"x".repeat(200)}` })] }), code: INVALID_ARGUMENT, message: /at attachments\.0\.content_type: must be at most 128 characters/ },
  { name: "attachment name missing", method: "Send", request: send({ attachments: [attachment(), attachment({ name: "" })] }), code: INVALID_ARGUMENT, message: /at attachments\.1\.name: is required/ },
  { name: "attachment size_bytes of 2^53", method: "Send", request: send({ attachments: [attachment({ size_bytes: "9007199254740992" })] }), code: INVALID_ARGUMENT, message: /at attachments\.0\.size_bytes: is too large/ },
  { name: "attachment size_bytes of 2^64 - 1", method: "Send", request: send({ attachments: [attachment({ size_bytes: "18446744073709551615" })] }), code: INVALID_ARGUMENT, message: /at attachments\.0\.size_bytes: is too large/ },
  // Send: bytes
  { name: "text not UTF-8", method: "Send", request: sendWith(3, NOT_UTF8.stray), code: INVALID_ARGUMENT, message: /at text: is not valid UTF-8/ },
  { name: "text with an encoded surrogate", method: "Send", request: sendWith(3, NOT_UTF8.surrogate), code: INVALID_ARGUMENT, message: /at text: is not valid UTF-8/ },
  { name: "address with an overlong encoding", method: "Send", request: sendWith(2, NOT_UTF8.overlong), code: INVALID_ARGUMENT, message: /at address: is not valid UTF-8/ },
  { name: "client_message_id with a cut sequence", method: "Send", request: sendWith(5, NOT_UTF8.cut), code: INVALID_ARGUMENT, message: /at client_message_id: is not valid UTF-8/ },
  { name: "attachments.name not UTF-8", method: "Send", request: sendWith(4, wire([1, NOT_UTF8.stray], [2, "image/png"], [3, 10])), code: INVALID_ARGUMENT, message: /at attachments\.name: is not valid UTF-8/ },
  { name: "JSON instead of protobuf", method: "Send", request: Buffer.from(JSON.stringify(send())), code: INVALID_ARGUMENT, message: /at request: not a valid SendRequest message/ },
  { name: "a message cut short", method: "Send", request: encode("Send", send()).subarray(0, -3), code: INVALID_ARGUMENT, message: /at request: not a valid SendRequest message/ },
  { name: "an invalid wire type on an unknown field", method: "Send", request: Buffer.concat([encode("Send", send()), Buffer.from([(15 << 3) | 7, 0])]), code: INVALID_ARGUMENT, message: /at request: not a valid SendRequest message \(invalid wire type 7/ },
  { name: "an invalid wire type on text", method: "Send", request: Buffer.concat([encode("Send", send()), Buffer.from([(3 << 3) | 7, 0])]), code: INVALID_ARGUMENT, message: /at text: wrong wire type 7 for a string field/ },
  { name: "a varint where text is a string", method: "Send", request: Buffer.concat([encode("Send", send()), wire([3, 5])]), code: INVALID_ARGUMENT, message: /at text: wrong wire type/ },
  { name: "an empty varint where text is a string", method: "Send", request: Buffer.concat([encode("Send", send()), wire([3, 0])]), code: INVALID_ARGUMENT, message: /at text: wrong wire type/ },
  { name: "a string where channel is an enum", method: "Send", request: Buffer.concat([encode("Send", send()), wire([1, "CHAT"])]), code: INVALID_ARGUMENT, message: /at channel: wrong wire type/ },
  // Send: who is calling
  { name: "no credential", method: "Send", request: send(), credential: NO_CREDENTIAL, code: UNAUTHENTICATED, message: /missing credential: send metadata `authorization: Bearer <credential>`/ },
  { name: "authorization not Bearer", method: "Send", request: send(), credential: { authorization: [`Basic ${Buffer.from("chat:secret").toString("base64")}`] }, code: UNAUTHENTICATED, message: /malformed authorization: expected `Bearer <credential>`/ },
  // HTTP/2 drops the trailing space, so the gateway sees no authorization at all.
  { name: "Bearer with no credential", method: "Send", request: send(), credential: { authorization: ["Bearer "] }, code: UNAUTHENTICATED, message: /authorization: Bearer <credential>/ },
  { name: "a lower-case bearer", method: "Send", request: send(), credential: { authorization: [`bearer ${TOKENS.chat}`] }, code: UNAUTHENTICATED, message: /malformed authorization/ },
  { name: "a credential with a space in it", method: "Send", request: send(), credential: { authorization: [`Bearer ${TOKENS.chat} ${TOKENS.chat}`] }, code: UNAUTHENTICATED, message: /malformed authorization/ },
  { name: "an unknown credential", method: "Send", request: send(), credential: "not-a-real-credential", code: UNAUTHENTICATED, message: /unknown credential/ },
  { name: "an absurdly long credential", method: "Send", request: send(), credential: "k".repeat(4_000), code: UNAUTHENTICATED, message: new RegExp(`credential is longer than ${MAX_CREDENTIAL_CHARS} characters`) },
  // grpc-js will not send two authorization values and Node's HTTP/2 server keeps only the first; a proxy merges them into one.
  { name: "two authorization headers merged by a proxy", method: "Send", request: send(), credential: { authorization: [`Bearer ${TOKENS.chat}, Bearer ${TOKENS.email}`] }, code: UNAUTHENTICATED, message: /malformed authorization: expected `Bearer <credential>`/ },
  { name: "metadata over MAX_METADATA_BYTES", method: "Send", request: send(), metadata: { "x-padding": "p".repeat(MAX_METADATA_BYTES) }, code: RESOURCE_EXHAUSTED, message: new RegExp(`metadata is \\d+ bytes; at most ${MAX_METADATA_BYTES}`) },
  { name: "a voice address that is not a phone number", method: "Send", request: send({ channel: "VOICE", address: "(-)" }), credential: TOKENS.voice, code: INVALID_ARGUMENT, message: /at address: must be a phone number/ },
  { name: "an email address without @", method: "Send", request: send({ channel: "EMAIL", address: "not-an-email" }), credential: TOKENS.email, code: INVALID_ARGUMENT, message: /at address: must be an email address/ },
  { name: "a voice credential sending as email", method: "Send", request: send({ channel: "EMAIL", address: `${fresh()}@example.com` }), credential: TOKENS.voice, code: PERMISSION_DENIED, message: /credential ivr may not act for the email channel/ },
  { name: "the desk credential posting as chat", method: "Send", request: send(), credential: TOKENS.desk, code: PERMISSION_DENIED, message: /credential agent-desk may not act for the chat channel/ },
  // Send: deadlines
  { name: "a deadline already past", method: "Send", request: send(), deadlineMs: -1_000, code: DEADLINE_EXCEEDED, message: /Deadline exceeded/ },
  { name: "a 1 ms deadline", method: "Send", request: send(), deadlineMs: 1, code: DEADLINE_EXCEEDED, message: /Deadline exceeded/ },
  { name: "a deadline gone when the gateway reads it (grpc-timeout 1n)", method: "Send", request: send(), http2: true, metadata: { "grpc-timeout": "1n" }, code: DEADLINE_EXCEEDED, message: /[Dd]eadline exceeded/ },
  // LinkAddress
  { name: "LinkAddress from an unknown known_address", method: "LinkAddress", request: { known_channel: "CHAT", known_address: fresh(), channel: "CHAT", address: fresh(), verified: true }, code: NOT_FOUND, message: /known_address: no customer has this chat address/ },
  { name: "LinkAddress of an address another customer owns", method: "LinkAddress", request: { known_channel: "CHAT", known_address: "owner-chat", channel: "EMAIL", address: "Taken@Example.com", verified: true }, credential: TOKENS.email, code: FAILED_PRECONDITION, message: /address: this email address already belongs to another customer/ },
  { name: "LinkAddress with known_channel missing", method: "LinkAddress", request: { known_channel: "CHANNEL_UNSPECIFIED", known_address: "owner-chat", channel: "CHAT", address: fresh(), verified: false }, code: INVALID_ARGUMENT, message: /at known_channel: must be one of/ },
  { name: "LinkAddress for a channel the credential may not use", method: "LinkAddress", request: { known_channel: "CHAT", known_address: "owner-chat", channel: "EMAIL", address: `${fresh()}@example.com`, verified: true }, code: PERMISSION_DENIED, message: /may not act for the email channel/ },
  { name: "LinkAddress with known_address not UTF-8", method: "LinkAddress", request: wire([1, 1], [2, NOT_UTF8.stray], [3, 1], [4, fresh()], [5, 1]), code: INVALID_ARGUMENT, message: /at known_address: is not valid UTF-8/ },
  { name: "LinkAddress with verified as a string", method: "LinkAddress", request: wire([1, 1], [2, "owner-chat"], [3, 1], [4, fresh()], [5, "yes"]), code: INVALID_ARGUMENT, message: /at verified: wrong wire type/ },
  // GetTimeline
  { name: "GetTimeline with NATS wildcards in case_id", method: "GetTimeline", request: { case_id: "cu-x.>" }, code: INVALID_ARGUMENT, message: /at case_id: must be 1-64 letters, digits, _ or -/ },
  { name: "GetTimeline with case_id of 65 characters", method: "GetTimeline", request: { case_id: "c".repeat(65) }, code: INVALID_ARGUMENT, message: /at case_id: must be 1-64/ },
  { name: "GetTimeline with case_id missing", method: "GetTimeline", request: {}, code: INVALID_ARGUMENT, message: /at case_id: must be 1-64/ },
  { name: "GetTimeline of an unknown case", method: "GetTimeline", request: { case_id: "cu-nobody-1", channel: "CHAT", address: "owner-chat" }, code: NOT_FOUND, message: /no case cu-nobody-1/ },
  { name: "GetTimeline of another customer's case", method: "GetTimeline", request: { case_id: owner.case_id, channel: "EMAIL", address: "taken@example.com" }, credential: TOKENS.email, code: NOT_FOUND, message: new RegExp(`no case ${owner.case_id} for this email address`) },
  { name: "GetTimeline by a channel credential naming no address", method: "GetTimeline", request: { case_id: owner.case_id, channel: "CHAT" }, code: INVALID_ARGUMENT, message: /GetTimelineRequest is invalid at address: is required/ },
  { name: "GetTimeline with a voice address that is not a phone number", method: "GetTimeline", request: { case_id: owner.case_id, channel: "VOICE", address: "(-)" }, credential: TOKENS.voice, code: INVALID_ARGUMENT, message: /at address: must be a phone number/ },
  { name: "GetTimeline with agent_id not an agent id", method: "GetTimeline", request: { case_id: owner.case_id, agent_id: "a.>" }, credential: TOKENS.desk, code: INVALID_ARGUMENT, message: /at agent_id: must be 1-64 letters/ },
  { name: "GetTimeline with no credential", method: "GetTimeline", request: { case_id: owner.case_id }, credential: NO_CREDENTIAL, code: UNAUTHENTICATED, message: /authorization: Bearer/ },
  // WatchCase
  { name: "WatchCase with case_id '>'", method: "WatchCase", request: { case_id: ">", after_seq: "0" }, code: INVALID_ARGUMENT, message: /at case_id: must be 1-64/ },
  { name: "WatchCase with after_seq of 2^64 - 1", method: "WatchCase", request: { case_id: owner.case_id, after_seq: "18446744073709551615" }, code: INVALID_ARGUMENT, message: /at after_seq: is too large/ },
  { name: "Outbox for an unknown channel", method: "Outbox", request: { channel: 42, after_seq: "0" }, code: INVALID_ARGUMENT, message: /at channel: must be one of/ },
  { name: "Outbox of another credential's channel", method: "Outbox", request: { channel: "EMAIL", after_seq: "0" }, code: PERMISSION_DENIED, message: /may not act for the email channel/ },
  { name: "ConfirmDelivery with a fact_id that is not a ULID", method: "ConfirmDelivery", request: { case_id: owner.case_id, fact_id: "not-a-ulid", channel: "CHAT", address: fresh() }, code: INVALID_ARGUMENT, message: /at fact_id: must be a 26-character ULID/ },
  { name: "ConfirmDelivery of a reply that was never drafted", method: "ConfirmDelivery", request: { case_id: owner.case_id, fact_id: "01JZZZZZZZZZZZZZZZZZZZZZZZ", channel: "CHAT", address: fresh() }, code: NOT_FOUND, message: /fact_id: .* no reply drafted for chat/ },
  { name: "WatchCase of an unknown case", method: "WatchCase", request: { case_id: "cu-nobody-2", after_seq: "0", channel: "CHAT", address: "owner-chat" }, code: NOT_FOUND, message: /no case cu-nobody-2/ },
  { name: "WatchCase with an unknown channel number", method: "WatchCase", request: { case_id: owner.case_id, after_seq: "0", channel: 42, address: "owner-chat" }, code: INVALID_ARGUMENT, message: /at channel: must be one of/ },
  { name: "WatchCase by a channel credential naming another channel", method: "WatchCase", request: { case_id: owner.case_id, after_seq: "0", channel: "EMAIL", address: "taken@example.com" }, code: PERMISSION_DENIED, message: /may not act for the email channel/ },
  { name: "WatchCase with an unknown credential", method: "WatchCase", request: { case_id: owner.case_id, after_seq: "0" }, credential: "stolen-credential", code: UNAUTHENTICATED, message: /unknown credential/ },
  // Session
  { name: "Session whose first request is a message", method: "Session", request: [message()], code: INVALID_ARGUMENT, message: /message: send open first/ },
  { name: "Session request with neither open nor message", method: "Session", request: [{}], code: INVALID_ARGUMENT, message: /must set open or message/ },
  { name: "Session opened twice", method: "Session", request: [open(), open()], code: INVALID_ARGUMENT, message: /open: the session is already open/ },
  { name: "Session open with channel missing", method: "Session", request: [open({ channel: "CHANNEL_UNSPECIFIED" })], code: INVALID_ARGUMENT, message: /at open\.channel: must be one of/ },
  { name: "Session open for another credential's channel", method: "Session", request: [open({ channel: "VOICE", address: "+1 555 0100 999" }), message()], code: PERMISSION_DENIED, message: /may not act for the voice channel/ },
  { name: "Session open with address not UTF-8", method: "Session", request: [wire([1, wire([1, 1], [2, NOT_UTF8.stray], [3, 0])])], code: INVALID_ARGUMENT, message: /at open\.address: is not valid UTF-8/ },
  { name: "Session message with text too long", method: "Session", request: [open(), message({ text: "y".repeat(MAX_TEXT_CHARS + 1) })], code: INVALID_ARGUMENT, message: /at message\.text: must be at most/ },
  { name: "Session with no credential", method: "Session", request: [open(), message()], credential: NO_CREDENTIAL, code: UNAUTHENTICATED, message: /missing credential/ },
];

/** Sends one row's request as the row says; resolves with the final status. */
function sendRow(row: Row): Promise<Outcome> {
  const requests = Array.isArray(row.request) ? row.request : [row.request];
  const bytes = requests.map((r) => (Buffer.isBuffer(r) ? r : encode(row.method, r)));
  const credential = row.credential ?? TOKENS.chat;
  const authorization = typeof credential === "string" ? [`Bearer ${credential}`] : credential.authorization;
  if (row.http2 === true) {
    const headers: Record<string, string> = { ...row.metadata };
    if (authorization[0] !== undefined) headers["authorization"] = authorization[0];
    return viaHttp2(row.method, bytes[0] ?? Buffer.alloc(0), headers);
  }
  const md = new Metadata();
  for (const value of authorization) md.add("authorization", value);
  for (const [key, value] of Object.entries(row.metadata ?? {})) md.set(key, value);
  return viaGrpc(row.method, bytes, md, { deadline: Date.now() + (row.deadlineMs ?? 5_000) });
}

test("the table has at least 35 hostile requests across every channel method", () => {
  assert.ok(ROWS.length >= 35, `${ROWS.length} rows`);
  assert.deepEqual(new Set(ROWS.map((r) => r.method)), new Set(Object.keys(REQUEST_TYPES)));
  assert.equal(new Set(ROWS.map((r) => r.name)).size, ROWS.length, "row names are unique");
});

for (const row of ROWS) {
  test(`hostile: ${row.name} → ${status[row.code]}`, async (t) => {
    const before = await logState();
    const outcome = await sendRow(row);
    t.diagnostic(`${status[outcome.code]}: ${outcome.details}`);
    assert.equal(status[outcome.code], status[row.code], `status (details: ${outcome.details})`);
    assert.match(outcome.details, row.message);
    assert.deepEqual(await logState(), before, "the request wrote nothing");
  });
}

test("after every hostile request the gateway still serves, and the blackboard holds no fact from any of them", async () => {
  // A late write (a handler still running after its deadline) would show here.
  await new Promise((r) => setTimeout(r, 200));
  const now = await logState();
  assert.deepEqual(now, baseline, "only the setup calls wrote facts");
  const channels: Channel[] = ["chat", "voice", "email", "self_service"];
  await Promise.all(
    issued.flatMap((id) =>
      channels.flatMap((channel) => [
        assert.rejects(blackboard.findCustomerByAddress({ channel, address: id, minSeq: now.lastSeq }), NotFoundError, `${channel} address ${id}`),
        assert.rejects(blackboard.findMessageByClientId({ channel, clientMessageId: id, minSeq: now.lastSeq }), NotFoundError, `${channel} message ${id}`),
      ]),
    ),
  );
  const ok = await call(client, "send", { channel: "CHAT", address: "owner-chat", text: "Still there?", client_message_id: "owner-2" }, TOKENS.chat);
  assert.equal(ok.case_id, owner.case_id);
  assert.equal(ok.duplicate, false);
  assert.ok((await logState()).messages > baseline.messages);
});

// ---- The in-flight bound -----------------------------------------------------

/** Fires `n` Sends at once at the gateway bounded to one in flight; each has its own address and client message id. */
async function burst(prefix: string, n: number) {
  const requests = Array.from({ length: n }, (_, i) => ({ channel: "CHAT" as const, address: `${prefix}-user-${i}`, text: "Is anyone there?", client_message_id: `${prefix}-${i}` }));
  const settled = await Promise.allSettled(requests.map((r) => call(busyClient, "send", r, TOKENS.chat)));
  return requests.map((request, i) => ({ request, result: settled[i] }));
}

/** Whether the blackboard (caught up with the log) has the chat message sent under `clientMessageId`. */
async function onBlackboard(clientMessageId: string): Promise<boolean> {
  const { lastSeq } = await logState();
  return blackboard.findMessageByClientId({ channel: "chat", clientMessageId, minSeq: lastSeq }).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotFoundError) return false;
      throw err;
    },
  );
}

test("in-flight work is bounded: past the bound the answer is RESOURCE_EXHAUSTED, and only answered Sends are on the blackboard", async () => {
  const sent = await burst("burst", 40);
  const answered = sent.filter((s) => s.result?.status === "fulfilled");
  const refused = sent.filter((s) => s.result?.status === "rejected");
  assert.ok(answered.length >= 1, "some Sends are served");
  assert.ok(refused.length >= 1, "some Sends are refused");
  for (const { result } of refused) {
    const err = (result as PromiseRejectedResult).reason as ServiceError;
    assert.equal(status[err.code], "RESOURCE_EXHAUSTED", err.details);
    assert.match(err.details, /gateway busy: its limit on requests in flight \(1\) is reached; retry with backoff/);
  }
  const stored = await Promise.all(sent.map((s) => onBlackboard(s.request.client_message_id)));
  assert.equal(stored.filter(Boolean).length, answered.length, "one message.received per OK answer");
  sent.forEach((s, i) => assert.equal(stored[i], s.result?.status === "fulfilled", s.request.client_message_id));
});

test("a Send refused with RESOURCE_EXHAUSTED succeeds when retried, and is stored once", async () => {
  const sent = await burst("retry", 20);
  const refused = sent.find((s) => s.result?.status === "rejected");
  assert.ok(refused !== undefined, "a Send was refused");
  assert.equal(((refused.result as PromiseRejectedResult).reason as ServiceError).code, status.RESOURCE_EXHAUSTED);
  const again = await call(busyClient, "send", refused.request, TOKENS.chat);
  assert.equal(again.accepted, true);
  assert.equal(again.duplicate, false, "the refused attempt wrote nothing");
  assert.equal(await onBlackboard(refused.request.client_message_id), true);
  const { facts } = await blackboard.getCase({ caseId: again.case_id, minSeq: Number(again.seq) });
  assert.equal(facts.filter((f) => f.fact.kind === "message.received").length, 1);
});

test("a live Session at a busy gateway waits for a slot instead of ending", async () => {
  const session = busyClient.session(auth(TOKENS.chat));
  const accepted: string[] = [];
  let failure: ServiceError | undefined;
  session.on("data", (e: SessionEvent__Output) => {
    if (e.kind === "accepted" && e.accepted !== null && e.accepted !== undefined) accepted.push(e.accepted.seq);
  });
  session.on("error", (err: ServiceError) => (failure = err));
  session.write({ open: { channel: "CHAT", address: "patient-user", after_seq: "0" } });
  const hammer = burst("hammer", 30);
  for (let i = 0; i < 5; i++) session.write({ message: { text: `message ${i}`, client_message_id: `patient-${i}`, attachments: [] } });
  const refusedSends = (await hammer).filter((s) => s.result?.status === "rejected").length;
  const deadline = Date.now() + 10_000;
  while (accepted.length < 5 && failure === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  session.end();
  assert.equal(failure, undefined, "the session was not ended");
  assert.equal(accepted.length, 5, "every session message was accepted");
  assert.ok(refusedSends >= 1, "the gateway really was at its bound (some unary Sends were refused)");
});

