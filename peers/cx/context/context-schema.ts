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

/**
 * Organisation-wide voice, policies, escalation rules and channel conventions
 * (`organisation.json`). Each field's description is its row in
 * docs/configuration.md.
 */
export const OrganisationContext = z.strictObject({
  name: Short.describe("The organisation's name, as replies and prompts give it."),
  voice: z
    .strictObject({
      persona: Line.describe("Who the mesh speaks as."),
      tone: z.array(Short).min(1).max(12).describe("How replies sound, a few words each."),
      avoid: z.array(Short).max(12).describe("What replies must not do."),
    })
    .describe("How the organisation speaks."),
  policies: z
    .array(z.strictObject({ id: Slug.describe("The policy's name."), text: Line.describe("The policy, one sentence.") }))
    .min(1)
    .max(50)
    .describe("Rules every step follows, rendered into every context prefix."),
  escalation: z
    .array(
      z.strictObject({
        id: Slug.describe("The rule's name; the identity peer reads `identity-failed`."),
        when: Line.describe("When a person takes over; `identity-failed` states its attempt limit in words (\"after two attempts\")."),
        capability: Capability.describe("The human capability that takes the case."),
        priority: z.enum(["low", "normal", "high", "urgent"]).describe("The priority of the `escalation.requested` fact."),
      }),
    )
    .max(50)
    .describe("When a case goes to a person, and to which human capability."),
  identity: z
    .strictObject({
      otp: z
        .strictObject({
          channels: z
            .array(z.enum(["email", "voice"]))
            .min(1)
            .max(2)
            .describe("Where the code may go, in order of preference: the first the account has a registered contact on (`voice`: its phone)."),
          digits: z.number().int().min(4).max(10).describe("Digits in a one-time code."),
          ttlMinutes: z.number().int().min(1).max(60).describe("How long a code is good for."),
          maxTries: z.number().int().min(1).max(10).describe("Wrong codes on one case before the account is locked and the case goes to a person."),
        })
        .describe("The one-time code that proves a claim."),
      lockout: z
        .strictObject({
          failures: z.number().int().min(1).max(100).describe("Failed attempts on one account, across cases, inside the window, that lock it."),
          windowMinutes: z.number().int().min(1).max(10_080).describe("The window the failures are counted in."),
          lockMinutes: z.number().int().min(1).max(10_080).describe("How long a locked account refuses self-service verification."),
        })
        .describe("Locking an account after repeated failures."),
    })
    .describe("How the identity peer verifies a claim on an account. Knowing an account number is a claim, never proof: the proof is a one-time code sent to a contact registered on the account, repeated by the customer in time."),
  channels: z
    .strictObject({
      chat: z.strictObject({ maxChars: z.number().int().min(40).max(2_000).describe("The longest chat reply, in characters.") }).describe("Chat replies."),
      email: z
        .strictObject({
          greeting: Short.describe("The first word of an e-mail reply, before the customer's name."),
          signOff: Short.describe("The line an e-mail reply ends with, before the signature."),
          signature: Short.describe("The e-mail signature."),
        })
        .describe("E-mail replies."),
      voice: z.strictObject({ closing: Line.describe("The sentence a voice reply ends with.") }).describe("Voice replies."),
    })
    .describe("How replies are shaped for each channel."),
});
export type OrganisationContext = z.infer<typeof OrganisationContext>;

/**
 * One product line (`products/<line>.json`): its plans and the facts of its
 * billing cycle. Each field's description is its row in docs/configuration.md.
 */
export const ProductContext = z.strictObject({
  line: Slug.describe("The product line's id, as an account's `productLine` names it; the file is `products/<line>.json`."),
  name: Short.describe("The product line's name."),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO-4217 code such as EUR").describe("ISO-4217 code of its prices."),
  billingCycle: z
    .strictObject({
      closesOnDay: z.number().int().min(1).max(28).describe("Day of the month the cycle closes and the bill is issued."),
      dueDays: z.number().int().min(0).max(90).describe("Days after the bill is issued that payment is due."),
      prorated: z.boolean().describe("Whether the cycle's bills are prorated (the context says \"prorated\" or \"not prorated\")."),
      notes: Line.describe("Anything else about the cycle a step should know."),
    })
    .describe("The billing cycle."),
  plans: z
    .array(
      z.strictObject({
        id: Slug.describe("The plan's id."),
        name: Short.describe("The plan's name."),
        monthlyMinor: z.number().int().min(0).describe("Monthly price in minor units of `currency`."),
        features: z.array(Short).max(20).describe("What the plan includes."),
      }),
    )
    .min(1)
    .max(50)
    .describe("The plans on sale."),
  facts: z.array(Line).max(50).describe("Other facts of the product line, one sentence each."),
});
export type ProductContext = z.infer<typeof ProductContext>;

/**
 * The steps to follow for one capability (`protocols/<capability>.json`).
 * Each field's description is its row in docs/configuration.md.
 */
export const ProtocolContext = z.strictObject({
  capability: Capability.describe("The capability it is the protocol of (the file is `protocols/<capability>.json`)."),
  goal: Line.describe("What the step is for."),
  steps: z.array(Line).min(1).max(30).describe("What to do, in order."),
  never: z.array(Line).max(30).default([]).describe("What the step must never do."),
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
