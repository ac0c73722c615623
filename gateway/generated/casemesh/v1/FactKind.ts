// Original file: proto/casemesh/v1/common.proto

/**
 * The kind of a fact: FACT_KIND_ and the kind's name upper-cased with dots as
 * underscores (need.claimed is FACT_KIND_NEED_CLAIMED). A kind's data, as
 * data_json, follows the `data` property of its JSON Schema,
 * proto/facts/<kind>.v<version>.schema.json (need.claimed.v1.schema.json).
 * New kinds get new values; a client that meets a value it does not know
 * should skip that fact.
 */
export const FactKind = {
  /**
   * Not set; not sent by this version.
   */
  FACT_KIND_UNSPECIFIED: 'FACT_KIND_UNSPECIFIED',
  /**
   * case.opened: A new case was opened for a customer on a channel.
   */
  FACT_KIND_CASE_OPENED: 'FACT_KIND_CASE_OPENED',
  /**
   * message.received: The customer said something on a channel.
   */
  FACT_KIND_MESSAGE_RECEIVED: 'FACT_KIND_MESSAGE_RECEIVED',
  /**
   * customer.linked: A channel address belongs to a customer.
   */
  FACT_KIND_CUSTOMER_LINKED: 'FACT_KIND_CUSTOMER_LINKED',
  /**
   * preference.noted: The customer stated a lasting preference (language,
   * contact hours, channel).
   */
  FACT_KIND_PREFERENCE_NOTED: 'FACT_KIND_PREFERENCE_NOTED',
  /**
   * need.opened: A step asks for a capability: the handoff, owned by the writer.
   */
  FACT_KIND_NEED_OPENED: 'FACT_KIND_NEED_OPENED',
  /**
   * need.claimed: A need was awarded to a peer, with every bid that decided it.
   * Its source is the auctioneer (capability `auction`); the winner is in its
   * data's `peer` (see Handoff).
   */
  FACT_KIND_NEED_CLAIMED: 'FACT_KIND_NEED_CLAIMED',
  /**
   * need.done: The claimed step finished and wrote its result.
   */
  FACT_KIND_NEED_DONE: 'FACT_KIND_NEED_DONE',
  /**
   * need.failed: A step gave up after its retries; the fallback need, if any,
   * takes over.
   */
  FACT_KIND_NEED_FAILED: 'FACT_KIND_NEED_FAILED',
  /**
   * intent.classified: What the customer wants, with the entities found in the
   * message.
   */
  FACT_KIND_INTENT_CLASSIFIED: 'FACT_KIND_INTENT_CLASSIFIED',
  /**
   * identity.verified: The customer's identity was verified, and how.
   */
  FACT_KIND_IDENTITY_VERIFIED: 'FACT_KIND_IDENTITY_VERIFIED',
  /**
   * identity.challenged: A claim on an account is being checked with a second
   * factor: a one-time code was sent to a registered contact of the account
   * (the code itself is never in the log).
   */
  FACT_KIND_IDENTITY_CHALLENGED: 'FACT_KIND_IDENTITY_CHALLENGED',
  /**
   * identity.attempted: One verification attempt on a case and what came of
   * it: who (the address it came from) and why (the outcome and its reason).
   */
  FACT_KIND_IDENTITY_ATTEMPTED: 'FACT_KIND_IDENTITY_ATTEMPTED',
  /**
   * identity.locked: Self-service verification of an account is locked until a
   * time, after too many failed attempts; a person can still verify the customer.
   */
  FACT_KIND_IDENTITY_LOCKED: 'FACT_KIND_IDENTITY_LOCKED',
  /**
   * account.loaded: The account history and knowledge articles relevant to the case.
   */
  FACT_KIND_ACCOUNT_LOADED: 'FACT_KIND_ACCOUNT_LOADED',
  /**
   * credit.applied: A credit was applied through the ledger, exactly once per
   * idempotency key.
   */
  FACT_KIND_CREDIT_APPLIED: 'FACT_KIND_CREDIT_APPLIED',
  /**
   * escalation.requested: The case needs a human, and why.
   */
  FACT_KIND_ESCALATION_REQUESTED: 'FACT_KIND_ESCALATION_REQUESTED',
  /**
   * reply.drafted: A reply to the customer, written for its channel. A sealed
   * reply (a one-time code) reads `[sealed:<ref>] …` here; the code itself
   * goes out only through the Outbox.
   */
  FACT_KIND_REPLY_DRAFTED: 'FACT_KIND_REPLY_DRAFTED',
  /**
   * reply.delivered: A drafted reply reached the customer's channel
   * (ConfirmDelivery).
   */
  FACT_KIND_REPLY_DELIVERED: 'FACT_KIND_REPLY_DELIVERED',
  /**
   * timer.set: Durable scheduled work: when due, open a need unless the case
   * already holds a cancelling fact.
   */
  FACT_KIND_TIMER_SET: 'FACT_KIND_TIMER_SET',
  /**
   * timer.fired: A due timer fired; its action was opened as a need.
   */
  FACT_KIND_TIMER_FIRED: 'FACT_KIND_TIMER_FIRED',
  /**
   * case.resolved: The case is resolved.
   */
  FACT_KIND_CASE_RESOLVED: 'FACT_KIND_CASE_RESOLVED',
} as const;

/**
 * The kind of a fact: FACT_KIND_ and the kind's name upper-cased with dots as
 * underscores (need.claimed is FACT_KIND_NEED_CLAIMED). A kind's data, as
 * data_json, follows the `data` property of its JSON Schema,
 * proto/facts/<kind>.v<version>.schema.json (need.claimed.v1.schema.json).
 * New kinds get new values; a client that meets a value it does not know
 * should skip that fact.
 */
export type FactKind =
  /**
   * Not set; not sent by this version.
   */
  | 'FACT_KIND_UNSPECIFIED'
  | 0
  /**
   * case.opened: A new case was opened for a customer on a channel.
   */
  | 'FACT_KIND_CASE_OPENED'
  | 1
  /**
   * message.received: The customer said something on a channel.
   */
  | 'FACT_KIND_MESSAGE_RECEIVED'
  | 2
  /**
   * customer.linked: A channel address belongs to a customer.
   */
  | 'FACT_KIND_CUSTOMER_LINKED'
  | 3
  /**
   * preference.noted: The customer stated a lasting preference (language,
   * contact hours, channel).
   */
  | 'FACT_KIND_PREFERENCE_NOTED'
  | 4
  /**
   * need.opened: A step asks for a capability: the handoff, owned by the writer.
   */
  | 'FACT_KIND_NEED_OPENED'
  | 5
  /**
   * need.claimed: A need was awarded to a peer, with every bid that decided it.
   * Its source is the auctioneer (capability `auction`); the winner is in its
   * data's `peer` (see Handoff).
   */
  | 'FACT_KIND_NEED_CLAIMED'
  | 6
  /**
   * need.done: The claimed step finished and wrote its result.
   */
  | 'FACT_KIND_NEED_DONE'
  | 7
  /**
   * need.failed: A step gave up after its retries; the fallback need, if any,
   * takes over.
   */
  | 'FACT_KIND_NEED_FAILED'
  | 8
  /**
   * intent.classified: What the customer wants, with the entities found in the
   * message.
   */
  | 'FACT_KIND_INTENT_CLASSIFIED'
  | 9
  /**
   * identity.verified: The customer's identity was verified, and how.
   */
  | 'FACT_KIND_IDENTITY_VERIFIED'
  | 10
  /**
   * identity.challenged: A claim on an account is being checked with a second
   * factor: a one-time code was sent to a registered contact of the account
   * (the code itself is never in the log).
   */
  | 'FACT_KIND_IDENTITY_CHALLENGED'
  | 11
  /**
   * identity.attempted: One verification attempt on a case and what came of
   * it: who (the address it came from) and why (the outcome and its reason).
   */
  | 'FACT_KIND_IDENTITY_ATTEMPTED'
  | 12
  /**
   * identity.locked: Self-service verification of an account is locked until a
   * time, after too many failed attempts; a person can still verify the customer.
   */
  | 'FACT_KIND_IDENTITY_LOCKED'
  | 13
  /**
   * account.loaded: The account history and knowledge articles relevant to the case.
   */
  | 'FACT_KIND_ACCOUNT_LOADED'
  | 14
  /**
   * credit.applied: A credit was applied through the ledger, exactly once per
   * idempotency key.
   */
  | 'FACT_KIND_CREDIT_APPLIED'
  | 15
  /**
   * escalation.requested: The case needs a human, and why.
   */
  | 'FACT_KIND_ESCALATION_REQUESTED'
  | 16
  /**
   * reply.drafted: A reply to the customer, written for its channel. A sealed
   * reply (a one-time code) reads `[sealed:<ref>] …` here; the code itself
   * goes out only through the Outbox.
   */
  | 'FACT_KIND_REPLY_DRAFTED'
  | 17
  /**
   * reply.delivered: A drafted reply reached the customer's channel
   * (ConfirmDelivery).
   */
  | 'FACT_KIND_REPLY_DELIVERED'
  | 18
  /**
   * timer.set: Durable scheduled work: when due, open a need unless the case
   * already holds a cancelling fact.
   */
  | 'FACT_KIND_TIMER_SET'
  | 19
  /**
   * timer.fired: A due timer fired; its action was opened as a need.
   */
  | 'FACT_KIND_TIMER_FIRED'
  | 20
  /**
   * case.resolved: The case is resolved.
   */
  | 'FACT_KIND_CASE_RESOLVED'
  | 21

/**
 * The kind of a fact: FACT_KIND_ and the kind's name upper-cased with dots as
 * underscores (need.claimed is FACT_KIND_NEED_CLAIMED). A kind's data, as
 * data_json, follows the `data` property of its JSON Schema,
 * proto/facts/<kind>.v<version>.schema.json (need.claimed.v1.schema.json).
 * New kinds get new values; a client that meets a value it does not know
 * should skip that fact.
 */
export type FactKind__Output = typeof FactKind[keyof typeof FactKind]
