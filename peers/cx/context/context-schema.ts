import { z } from "zod";
import { Capability } from "../../../blackboard/index.ts";

/**
 * The contracts of the context hierarchy: the organisation, each product line,
 * and each capability's protocol. Every object is strict, so a misspelt field
 * in a context file is an error rather than silently ignored text.
 */

const Line = z.string().min(1).max(500);
const Short = z.string().min(1).max(120);
const Slug = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "must be a lower-case slug such as fibre-100");

/** Organisation-wide voice, policies, escalation rules and channel conventions. */
export const OrganisationContext = z.strictObject({
  name: Short,
  voice: z.strictObject({
    persona: Line,
    tone: z.array(Short).min(1).max(12),
    avoid: z.array(Short).max(12),
  }),
  policies: z.array(z.strictObject({ id: Slug, text: Line })).min(1).max(50),
  escalation: z
    .array(
      z.strictObject({
        id: Slug,
        when: Line,
        capability: Capability,
        priority: z.enum(["low", "normal", "high", "urgent"]),
      }),
    )
    .max(50),
  /**
   * How the identity peer verifies a claim on an account. Knowing an account
   * number is a claim, never proof: the proof is a one-time code sent to a
   * contact registered on the account, repeated by the customer in time.
   */
  identity: z.strictObject({
    otp: z.strictObject({
      /** Where the code may go, in order of preference: the first the account has a registered contact on. */
      channels: z.array(z.enum(["email", "voice"])).min(1).max(2),
      digits: z.number().int().min(4).max(10),
      /** How long a code is good for. */
      ttlMinutes: z.number().int().min(1).max(60),
      /** Wrong codes on one case before the account is locked and the case goes to a person. */
      maxTries: z.number().int().min(1).max(10),
    }),
    lockout: z.strictObject({
      /** Failed attempts on one account, across cases, inside the window, that lock it. */
      failures: z.number().int().min(1).max(100),
      windowMinutes: z.number().int().min(1).max(10_080),
      /** How long a locked account refuses self-service verification. */
      lockMinutes: z.number().int().min(1).max(10_080),
    }),
  }),
  channels: z.strictObject({
    chat: z.strictObject({ maxChars: z.number().int().min(40).max(2_000) }),
    email: z.strictObject({ greeting: Short, signOff: Short, signature: Short }),
    voice: z.strictObject({ closing: Line }),
  }),
});
export type OrganisationContext = z.infer<typeof OrganisationContext>;

/** One product line: its plans and the facts of its billing cycle. */
export const ProductContext = z.strictObject({
  line: Slug,
  name: Short,
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO-4217 code such as EUR"),
  billingCycle: z.strictObject({
    /** Day of the month the cycle closes and the bill is issued. */
    closesOnDay: z.number().int().min(1).max(28),
    /** Days after the bill is issued that payment is due. */
    dueDays: z.number().int().min(0).max(90),
    prorated: z.boolean(),
    notes: Line,
  }),
  plans: z
    .array(
      z.strictObject({
        id: Slug,
        name: Short,
        monthlyMinor: z.number().int().min(0),
        features: z.array(Short).max(20),
      }),
    )
    .min(1)
    .max(50),
  facts: z.array(Line).max(50),
});
export type ProductContext = z.infer<typeof ProductContext>;

/** The steps to follow for one capability. */
export const ProtocolContext = z.strictObject({
  capability: Capability,
  goal: Line,
  steps: z.array(Line).min(1).max(30),
  never: z.array(Line).max(30).default([]),
});
export type ProtocolContext = z.infer<typeof ProtocolContext>;

/**
 * The context one step works in: organisation, then product line (when the
 * case has one), then the capability's protocol, as one stable text `prefix`
 * for model prompts and as structured data for code. `digest` is the sha256 of
 * the prefix, so logs can say which context a step saw.
 */
export const AssembledContext = z.strictObject({
  capability: Capability,
  productLine: Slug.nullable(),
  prefix: z.string().min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  organisation: OrganisationContext,
  product: ProductContext.nullable(),
  protocol: ProtocolContext,
});
export type AssembledContext = z.infer<typeof AssembledContext>;
