import { z } from "zod";
import { AgentId, Capability, MAX_DESK_CAPACITY, MAX_DESK_SKILLS, MAX_OFFER_NOTE_CHARS, MAX_TEXT_CHARS, OfferId } from "../blackboard/index.ts";
import type { DeskReplyRequest__Output } from "./generated/casemesh/v1/DeskReplyRequest.ts";
import type { HandBackRequest__Output } from "./generated/casemesh/v1/HandBackRequest.ts";
import type { OfferDecision__Output } from "./generated/casemesh/v1/OfferDecision.ts";
import type { ResolveRequest__Output } from "./generated/casemesh/v1/ResolveRequest.ts";
import type { SignInRequest__Output } from "./generated/casemesh/v1/SignInRequest.ts";
import { CONTROL, personText, type Reads } from "./requests.ts";

/**
 * The agent desk's requests, parsed where they enter (with `parseRequest`
 * from requests.ts). As there, each schema reads the generated `__Output`
 * type, a type-level check proves it, and error paths are the .proto's
 * field names.
 */

/** The longest display name, in characters. */
export const MAX_DISPLAY_NAME_CHARS = 128;
/** The longest resolution, in characters (the `case.resolved` contract's limit). */
export const MAX_RESOLUTION_CHARS = 2_000;

const Agent = z.string().min(1, { message: "is required (the signed-in agent's id)", abort: true }).pipe(AgentId);
const Offer = z.string().min(1, { message: "is required (the offer_id of an offer on the SignIn stream)", abort: true }).pipe(OfferId);

/** SignIn: who the agent is, what they can serve, how many cases they take at once. */
export const SignInRequest = z.object({
  agent_id: Agent,
  display_name: z
    .string()
    .max(MAX_DISPLAY_NAME_CHARS, `must be at most ${MAX_DISPLAY_NAME_CHARS} characters`)
    .refine((v) => !CONTROL.test(v), "must not contain control characters"),
  skills: z
    .array(Capability)
    .min(1, "must list at least one capability, e.g. human.billing")
    .max(MAX_DESK_SKILLS, `must list at most ${MAX_DESK_SKILLS} capabilities`)
    .refine((v) => new Set(v).size === v.length, "must not repeat a capability"),
  capacity: z
    .number()
    .int()
    .min(1, "must be at least 1 (cases the agent takes at once)")
    .max(MAX_DESK_CAPACITY, `must be at most ${MAX_DESK_CAPACITY}`),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** Accept and Decline: one agent's decision on one offer. */
export const OfferDecision = z.object({ agent_id: Agent, offer_id: Offer });
export type OfferDecision = z.infer<typeof OfferDecision>;

/** Reply: text for the customer, on the channel they are on. */
export const DeskReplyRequest = z.object({ agent_id: Agent, offer_id: Offer, text: personText("the reply to the customer", MAX_TEXT_CHARS) });
export type DeskReplyRequest = z.infer<typeof DeskReplyRequest>;

/** Resolve: how the case was resolved. */
export const ResolveRequest = z.object({
  agent_id: Agent,
  offer_id: Offer,
  resolution: personText("how the case was resolved", MAX_RESOLUTION_CHARS),
});
export type ResolveRequest = z.infer<typeof ResolveRequest>;

/** HandBack: a note for whoever takes the case next. */
export const HandBackRequest = z.object({
  agent_id: Agent,
  offer_id: Offer,
  note: personText("a note for whoever takes the case next", MAX_OFFER_NOTE_CHARS),
});
export type HandBackRequest = z.infer<typeof HandBackRequest>;

const proof: [
  Reads<typeof SignInRequest, SignInRequest__Output>,
  Reads<typeof OfferDecision, OfferDecision__Output>,
  Reads<typeof DeskReplyRequest, DeskReplyRequest__Output>,
  Reads<typeof ResolveRequest, ResolveRequest__Output>,
  Reads<typeof HandBackRequest, HandBackRequest__Output>,
] = [true, true, true, true, true];
void proof;
