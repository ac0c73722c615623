import { z } from "zod";
import { Address, Channel, defineFactKinds, FactId, Instant, Money, Reason, WorkId } from "../../blackboard/index.ts";

/**
 * The fact kinds of the reference CX application, registered by it (the
 * blackboard registers only the kinds the mesh itself interprets). Every CX
 * peer process imports this module, so its writer checks these contracts and
 * its host shares them with the mesh when it starts.
 *
 * `account.loaded` and `credit.applied` are account-scoped: the log takes one
 * only on a case whose `identity.verified` names the account in its
 * `data.accountId`; the writer refuses it before publishing and the
 * blackboard dead-letters it (`unverified_account`), whichever peer wrote it.
 */
export const CX_FACT_KINDS = defineFactKinds("cx", {
  "identity.attempted": {
    v: 1,
    description: "One verification attempt on a case and what came of it: who (the address it came from) and why (the outcome and its reason).",
    data: z.strictObject({
      /** The account claimed; null when the customer named no account the system holds. */
      accountId: z.string().min(1).max(64).nullable(),
      challengeId: WorkId.nullable(),
      method: z.enum(["otp", "account_number", "channel_address"]),
      outcome: z.enum(["verified", "wrong_code", "expired", "unknown_account", "locked"]),
      /** The customer message that made the attempt, if one did. */
      messageFactId: FactId.nullable(),
      /** Where the attempt came from. */
      channel: Channel,
      address: Address,
      /** Wrong codes on this challenge so far, this one included. */
      tries: z.number().int().min(0),
      reason: Reason,
    }),
  },
  "identity.locked": {
    v: 1,
    description: "Self-service verification of an account is locked until a time, after too many failed attempts; a person can still verify the customer.",
    data: z.strictObject({
      accountId: z.string().min(1).max(64),
      until: Instant,
      /** Failed attempts on the account inside the window, across cases. */
      failures: z.number().int().min(1),
      reason: Reason,
    }),
  },
  "account.loaded": {
    v: 1,
    accountScoped: true,
    description: "The account history and knowledge articles relevant to the case.",
    data: z.strictObject({
      accountId: z.string().min(1).max(64),
      plan: z.string().min(1).max(128),
      charges: z
        .array(
          z.strictObject({
            chargeId: z.string().min(1).max(64),
            amount: Money,
            at: Instant,
            description: z.string().min(1).max(256),
          }),
        )
        .max(200),
      articles: z.array(z.strictObject({ id: z.string().min(1).max(64), title: z.string().min(1).max(256) })).max(50),
    }),
  },
  "credit.applied": {
    v: 1,
    accountScoped: true,
    description: "A credit was applied through the ledger, exactly once per idempotency key.",
    data: z.strictObject({
      accountId: z.string().min(1).max(64),
      amount: Money,
      reason: Reason,
      ledgerRef: z.string().min(1).max(128),
      idempotencyKey: z.string().min(1).max(256),
    }),
  },
});

type CxFactKinds = typeof CX_FACT_KINDS;

declare module "../../blackboard/index.ts" {
  interface FactKindSpecs extends CxFactKinds {}
}
