import { z } from "zod";
import { Capability, CustomerId, FactId, Instant, KindName, WorkId } from "./contract-envelope.ts";
import { factRegistry, type KindSpec } from "./contract-registry.ts";

/**
 * The fact kinds the mesh itself interprets (cases, messages, needs and
 * claims, identity, timers, replies), registered by the blackboard. An
 * application registers its own kinds with {@link defineFactKinds}. A kind's
 * schema is strict: an unknown field is a violation, so a typo never slips
 * into the log. Changing a contract means adding a new version, never editing
 * one in place.
 */

/** The channels a customer can reach casemesh on. */
export const Channel = z.enum(["chat", "voice", "email", "self_service"]);
export type Channel = z.infer<typeof Channel>;

/** A channel address: phone number, email address, chat user id. */
export const Address = z.string().min(1).max(320);

/** Money in minor units (cents) with an ISO-4217 currency code. */
export const Money = z.strictObject({
  amountMinor: z.number().int().min(0).max(1_000_000_000_00),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO-4217 code such as EUR"),
});
export type Money = z.infer<typeof Money>;

/** The longest customer or reply text a fact can hold, in characters. */
export const MAX_TEXT_CHARS = 16_000;
const Text = z.string().min(1).max(MAX_TEXT_CHARS);
/** A reason a person can read. */
export const Reason = z.string().min(1).max(2_000);
/** Free-form step input: a JSON object. */
const JsonObject = z.record(z.string(), z.json());

/** A bid as recorded on the award: who offered, what utility, and the parts that made it. */
export const Bid = z.strictObject({
  peer: z.string().min(1).max(128),
  version: z.string().min(1).max(64),
  utility: z.number().finite(),
  parts: z.strictObject({
    fit: z.number().finite(),
    load: z.number().finite(),
    cost: z.number().finite(),
    continuity: z.number().finite(),
    version: z.number().finite(),
  }),
});
export type Bid = z.infer<typeof Bid>;

function kind<D extends z.ZodType>(spec: KindSpec<D>): KindSpec<D> {
  return spec;
}

/** The core fact kinds, with their current contract versions. */
export const CORE_FACT_KINDS = {
  "case.opened": kind({
    v: 1,
    description: "A new case was opened for a customer on a channel.",
    data: z.strictObject({
      customerId: CustomerId,
      channel: Channel,
      tier: z.enum(["standard", "priority", "vip"]),
    }),
  }),
  "message.received": kind({
    v: 1,
    description: "The customer said something on a channel.",
    data: z.strictObject({
      channel: Channel,
      address: Address,
      text: Text,
      clientMessageId: z.string().min(1).max(128),
      attachments: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(256),
            contentType: z.string().min(1).max(128),
            sizeBytes: z.number().int().min(0),
          }),
        )
        .max(20),
    }),
  }),
  "customer.linked": kind({
    v: 1,
    description: "A channel address belongs to a customer.",
    data: z.strictObject({
      customerId: CustomerId,
      channel: Channel,
      address: Address,
      verified: z.boolean(),
    }),
  }),
  "preference.noted": kind({
    v: 1,
    description: "The customer stated a lasting preference (language, contact hours, channel).",
    data: z.strictObject({
      customerId: CustomerId,
      key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a lower-case key"),
      value: z.string().min(1).max(512),
    }),
  }),
  "need.opened": kind({
    v: 1,
    description: "A step asks for a capability: the handoff, owned by the writer.",
    data: z.strictObject({
      needId: WorkId,
      capability: Capability,
      input: JsonObject,
      requires: z.array(KindName).max(16),
      attempt: z.number().int().min(1),
      fallback: Capability.nullable(),
      /**
       * Optional: what the writer knew of the case when it opened the need (the
       * customer's tier, who last served them for this capability), so an
       * auctioneer can score bids without reading the case. Absent: the
       * auctioneer reads the case brief.
       */
      routing: z
        .strictObject({
          tier: z.enum(["standard", "priority", "vip"]),
          previousHandler: z.string().min(1).max(128).nullable(),
        })
        .optional(),
    }),
  }),
  "need.claimed": kind({
    v: 1,
    description: "A need was awarded to a peer, with every bid that decided it.",
    data: z.strictObject({
      needId: WorkId,
      capability: Capability,
      attempt: z.number().int().min(1),
      peer: z.string().min(1).max(128),
      leaseMs: z.number().int().positive(),
      bids: z.array(Bid).max(1_000),
    }),
  }),
  "need.done": kind({
    v: 1,
    description: "The claimed step finished and wrote its result.",
    data: z.strictObject({
      needId: WorkId,
      capability: Capability,
      peer: z.string().min(1).max(128),
      attempt: z.number().int().min(1),
    }),
  }),
  "need.failed": kind({
    v: 1,
    description: "A step gave up after its retries; the fallback need, if any, takes over.",
    data: z.strictObject({
      needId: WorkId,
      capability: Capability,
      attempt: z.number().int().min(1),
      reason: Reason,
      fallbackNeedId: WorkId.nullable(),
    }),
  }),
  "intent.classified": kind({
    v: 1,
    description: "What the customer wants, with the entities found in the message.",
    data: z.strictObject({
      intent: z.enum(["billing_dispute", "order_status", "technical_problem", "cancellation", "other"]),
      confidence: z.number().min(0).max(1),
      entities: z.strictObject({
        amounts: z.array(Money).max(20),
        dates: z.array(z.string().min(1).max(64)).max(20),
        orderIds: z.array(z.string().min(1).max(64)).max(20),
      }),
    }),
  }),
  "identity.verified": kind({
    v: 1,
    description: "The customer's identity was verified, and how.",
    data: z.strictObject({
      customerId: CustomerId,
      method: z.enum(["channel_address", "account_number", "otp", "agent"]),
      accountId: z.string().min(1).max(64).nullable(),
    }),
  }),
  "identity.challenged": kind({
    v: 1,
    description:
      "A claim on an account is being checked with a second factor: a one-time code was sent to a registered contact of the account (the code itself is never in the log).",
    data: z.strictObject({
      challengeId: WorkId,
      /** The account the customer claims. */
      accountId: z.string().min(1).max(64),
      /** The customer record the account owns, which a verified claimant joins. */
      customerId: CustomerId,
      method: z.literal("otp"),
      /** The channel the code went out on (to the account's registered contact there, never to the claimant's address). */
      channel: Channel,
      /** How many digits the code has: the gateway seals a reply of this shape before it reaches the log. */
      digits: z.number().int().min(4).max(10),
      maxTries: z.number().int().min(1).max(20),
      expiresAt: Instant,
    }),
  }),
  "escalation.requested": kind({
    v: 1,
    description: "The case needs a human, and why.",
    data: z.strictObject({
      capability: Capability,
      reason: Reason,
      priority: z.enum(["low", "normal", "high", "urgent"]),
    }),
  }),
  "reply.drafted": kind({
    v: 1,
    description: "A reply to the customer, written for its channel.",
    data: z.strictObject({
      channel: Channel,
      text: Text,
      replyTo: FactId.nullable(),
    }),
  }),
  "reply.delivered": kind({
    v: 1,
    description: "A drafted reply reached the customer's channel.",
    data: z.strictObject({
      channel: Channel,
      address: Address,
      draftFactId: FactId,
    }),
  }),
  "timer.set": kind({
    v: 1,
    description: "Durable scheduled work: when due, open a need unless the case already holds a cancelling fact.",
    data: z.strictObject({
      timerId: WorkId,
      dueAt: Instant,
      purpose: z.string().min(1).max(256),
      action: z.strictObject({ capability: Capability, input: JsonObject }),
      cancelIf: z.array(KindName).max(16),
    }),
  }),
  "timer.fired": kind({
    v: 1,
    description: "A due timer fired; its action was opened as a need.",
    data: z.strictObject({
      timerId: WorkId,
      needId: WorkId.nullable(),
    }),
  }),
  "case.resolved": kind({
    v: 1,
    description: "The case is resolved.",
    data: z.strictObject({
      resolution: Reason,
      by: z.string().min(1).max(128),
    }),
  }),
} as const;

factRegistry.register("blackboard", CORE_FACT_KINDS);

type CoreFactKinds = typeof CORE_FACT_KINDS;

/**
 * Every fact kind's contract, for the type checker: the core kinds, and each
 * kind an application declares by augmenting this interface (see
 * {@link defineFactKinds}). What a process accepts at run time is what its
 * {@link factRegistry} holds.
 */
export interface FactKindSpecs extends CoreFactKinds {}

/** The name of a fact kind the type checker knows. */
export type FactKind = keyof FactKindSpecs & string;

/** The `data` type of fact kind `K`. */
export type FactData<K extends FactKind> = z.infer<FactKindSpecs[K]["data"]>;

/** True when `name` is a kind this process has registered. */
export function isFactKind(name: string): name is FactKind {
  return factRegistry.has(name);
}

/**
 * Registers an application's or a peer's own fact kinds in this process's
 * registry and returns them. A peer host shares them with the mesh when it
 * starts, so replicas and gateways already running learn them. Declare them
 * for the type checker too:
 *
 * ```ts
 * export const SURVEY_KINDS = defineFactKinds("survey", { "survey.answered": { v: 1, description: "…", data: z.strictObject({ … }) } });
 * declare module "casemesh/blackboard" { interface FactKindSpecs extends SurveyKinds {} }
 * ```
 * (with `type SurveyKinds = typeof SURVEY_KINDS`, and the module path your
 * code imports the blackboard from).
 * @throws ConflictError when a kind's version is already registered with another schema.
 */
export function defineFactKinds<const T extends Readonly<Record<string, KindSpec>>>(owner: string, specs: T): T {
  factRegistry.register(owner, specs);
  return specs;
}
