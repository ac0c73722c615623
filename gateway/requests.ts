import { z } from "zod";
import { ContractViolationError } from "../core/index.ts";
import { AgentId, CaseId, Channel, FactId, MAX_TEXT_CHARS, normalizeAddress } from "../blackboard/index.ts";
import type { ConfirmDeliveryRequest__Output } from "./generated/casemesh/v1/ConfirmDeliveryRequest.ts";
import type { OutboxRequest__Output } from "./generated/casemesh/v1/OutboxRequest.ts";
import type { GetTimelineRequest__Output } from "./generated/casemesh/v1/GetTimelineRequest.ts";
import type { LinkAddressRequest__Output } from "./generated/casemesh/v1/LinkAddressRequest.ts";
import type { SendRequest__Output } from "./generated/casemesh/v1/SendRequest.ts";
import type { WatchCaseRequest__Output } from "./generated/casemesh/v1/WatchCaseRequest.ts";
import { wireProblem } from "./proto.ts";

/**
 * Every gRPC request is parsed here, where it enters. The schemas read the
 * objects proto-loader hands over (their input type is the generated
 * `__Output` type, so a proto change that breaks one fails the type check)
 * and produce the values the gateway works with. Field names in errors are
 * the .proto's, as every client sees them.
 */

/** The most attachments one message may describe. */
export const MAX_ATTACHMENTS = 20;
/** The longest client message id, in characters. */
export const MAX_CLIENT_MESSAGE_ID_CHARS = 128;
/** The longest channel address, in characters. */
export const MAX_ADDRESS_CHARS = 320;

const PROTO_CHANNELS = { CHAT: "chat", VOICE: "voice", EMAIL: "email", SELF_SERVICE: "self_service" } as const;
type ProtoChannelName = keyof typeof PROTO_CHANNELS;

/** A proto Channel (by name) as the blackboard's channel; UNSPECIFIED and unknown numbers are refused. */
const ProtoChannel = z
  .union([z.string(), z.number()])
  .refine((v): v is ProtoChannelName => typeof v === "string" && Object.hasOwn(PROTO_CHANNELS, v), {
    message: `must be one of ${Object.keys(PROTO_CHANNELS).join(", ")}`,
  })
  .transform((v) => PROTO_CHANNELS[v as ProtoChannelName]);

/** The proto name of a blackboard channel. */
export function protoChannel(channel: Channel | null | undefined): ProtoChannelName | "CHANNEL_UNSPECIFIED" {
  if (channel === null || channel === undefined) return "CHANNEL_UNSPECIFIED";
  return (Object.keys(PROTO_CHANNELS) as ProtoChannelName[]).find((k) => PROTO_CHANNELS[k] === channel) ?? "CHANNEL_UNSPECIFIED";
}

// C0 controls other than tab, newline and carriage return; DEL and the C1 range.
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Text a person wrote (`what` says what it is): non-empty, at most `max` characters, no control characters. */
export function personText(what: string, max: number) {
  return z
    .string()
    .min(1, { message: `is required (${what})`, abort: true })
    .refine((v) => v.trim().length > 0, "must not be only whitespace")
    .refine((v) => v.length <= max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), "must not contain control characters");
}

const Text = personText("the customer's words", MAX_TEXT_CHARS);

const Address = z
  .string()
  .min(1, { message: "is required (a phone number, email address or chat user id)", abort: true })
  .refine((v) => v.length <= MAX_ADDRESS_CHARS, `must be at most ${MAX_ADDRESS_CHARS} characters`)
  .refine((v) => v.trim().length > 0 && !CONTROL.test(v), "must be printable text");

const ClientMessageId = z
  .string()
  .min(1, { message: "is required (the channel's own id of the message)", abort: true })
  .refine((v) => v.length <= MAX_CLIENT_MESSAGE_ID_CHARS, `must be at most ${MAX_CLIENT_MESSAGE_ID_CHARS} characters`)
  .refine((v) => /^[\x21-\x7E]+$/.test(v), "must be printable ASCII without spaces");

/** A uint64 as proto-loader hands it over (a decimal string), as a safe integer. */
const Uint64 = z
  .string()
  .regex(/^\d+$/, "must be a non-negative integer")
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), "is too large");

const Attachment = z.object({
  name: z.string().min(1, "is required").max(256, "must be at most 256 characters"),
  content_type: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type such as image/png")
    .max(128, "must be at most 128 characters"),
  size_bytes: Uint64,
});

/** Why `address` cannot be a `channel` address, or undefined: a phone number for voice, an email address for email. */
export function addressProblem(channel: Channel, address: string): string | undefined {
  const normal = normalizeAddress(channel, address);
  if (channel === "voice" && !/^\+?[0-9]{3,20}$/.test(normal)) return "must be a phone number: 3-20 digits, optionally with + and spaces, dashes, dots or brackets";
  if (channel === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normal)) return "must be an email address";
  return undefined;
}

/** Checks the address at `addressKey` against the channel at `channelKey`. */
function channelAddress<K extends string, A extends string>(channelKey: K, addressKey: A) {
  return (value: Record<K, Channel> & Record<A, string>, ctx: z.RefinementCtx) => {
    const problem = addressProblem(value[channelKey], value[addressKey]);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: [addressKey], message: problem });
  };
}

const SendFields = {
  channel: ProtoChannel,
  address: Address,
  text: Text,
  attachments: z.array(Attachment).max(MAX_ATTACHMENTS, `must list at most ${MAX_ATTACHMENTS} attachments`),
  client_message_id: ClientMessageId,
};
export const SendRequest = z.object(SendFields).superRefine(channelAddress("channel", "address"));
export type SendRequest = z.infer<typeof SendRequest>;

const SessionOpen = z.object({ channel: ProtoChannel, address: Address, after_seq: Uint64 }).superRefine(channelAddress("channel", "address"));
const SessionMessage = z.object({
  text: Text,
  attachments: SendFields.attachments,
  client_message_id: ClientMessageId,
});

/** Parses a session request: exactly one of `open` and `message`. */
export const SessionStep = z.discriminatedUnion(
  "kind",
  [z.object({ kind: z.literal("open"), open: SessionOpen }), z.object({ kind: z.literal("message"), message: SessionMessage })],
  { error: "must set open or message" },
);
export type SessionStep = z.infer<typeof SessionStep>;

/** A proto Channel that may be left unset: CHANNEL_UNSPECIFIED (or 0) is undefined; unknown numbers are refused. */
const OptionalProtoChannel = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (v === "CHANNEL_UNSPECIFIED" || v === 0) return undefined;
  if (typeof v === "string" && Object.hasOwn(PROTO_CHANNELS, v)) return PROTO_CHANNELS[v as ProtoChannelName];
  ctx.addIssue({ code: "custom", message: `must be one of ${Object.keys(PROTO_CHANNELS).join(", ")}, or unset` });
  return z.NEVER;
});

/** A string field that may be left empty: "" is undefined, anything else must pass `schema`. */
function optionalString<T>(schema: z.ZodType<T, string>) {
  return z
    .string()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(schema.optional());
}

/**
 * Who a case is read for (WatchCase, GetTimeline): the customer address a
 * channel back end acts for (`channel` and `address`), or the agent a desk
 * acts for (`agent_id`). Each may be unset here; `gateway/case-access.ts`
 * decides which a credential must name.
 */
const CaseReaderFields = {
  channel: OptionalProtoChannel,
  address: optionalString(Address),
  agent_id: optionalString(AgentId),
};

/** Checks `address` against `channel` when both are named. */
function optionalChannelAddress(value: { channel?: Channel | undefined; address?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.channel === undefined || value.address === undefined) return;
  const problem = addressProblem(value.channel, value.address);
  if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["address"], message: problem });
}

export const WatchCaseRequest = z.object({ case_id: CaseId, after_seq: Uint64, ...CaseReaderFields }).superRefine(optionalChannelAddress);
export type WatchCaseRequest = z.infer<typeof WatchCaseRequest>;
export const GetTimelineRequest = z.object({ case_id: CaseId, ...CaseReaderFields }).superRefine(optionalChannelAddress);
export type GetTimelineRequest = z.infer<typeof GetTimelineRequest>;
/** The fields of a case read that say who it is read for. */
export type CaseReadFor = Pick<GetTimelineRequest, "case_id" | "channel" | "address" | "agent_id">;

export const LinkAddressRequest = z.object({
  known_channel: ProtoChannel,
  known_address: Address,
  channel: ProtoChannel,
  address: Address,
  verified: z.boolean(),
})
  .superRefine(channelAddress("known_channel", "known_address"))
  .superRefine(channelAddress("channel", "address"));

export const OutboxRequest = z.object({ channel: ProtoChannel, after_seq: Uint64 });

export const ConfirmDeliveryRequest = z
  .object({
    case_id: CaseId,
    fact_id: FactId,
    channel: ProtoChannel,
    address: Address,
  })
  .superRefine(channelAddress("channel", "address"));

/** Compiles only when every object proto-loader can hand over is an input `S` reads. */
export type Reads<S extends z.ZodType, Generated> = Generated extends z.input<S> ? true : never;
const proof: [
  Reads<typeof SendRequest, SendRequest__Output>,
  Reads<typeof WatchCaseRequest, WatchCaseRequest__Output>,
  Reads<typeof GetTimelineRequest, GetTimelineRequest__Output>,
  Reads<typeof LinkAddressRequest, LinkAddressRequest__Output>,
  Reads<typeof OutboxRequest, OutboxRequest__Output>,
  Reads<typeof ConfirmDeliveryRequest, ConfirmDeliveryRequest__Output>,
] = [true, true, true, true, true, true];
void proof;

/**
 * Parses `raw` with `schema`; throws a {@link ContractViolationError} naming
 * the first bad field. A request whose bytes were already refused (not a
 * message, not UTF-8) is reported as such.
 */
export function parseRequest<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const problem = wireProblem(raw);
  if (problem !== undefined) {
    const [path = "request", ...rest] = problem.split(": ");
    throw new ContractViolationError(what, [{ path, message: rest.join(": ") }]);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ContractViolationError(
    what,
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "request", message: i.message })),
  );
}
