/**
 * The reference customer-service application built on the peer runtime: the
 * CX peers, their reasoners and context, and the processes that run them.
 */
export { intentPeer, runIntentPeer, INTENT } from "./intent.ts";
export type { IntentPeerOptions } from "./intent.ts";
export { identityPeer, openIdentityStores, runIdentityPeer, IDENTITY_VERIFY } from "./identity.ts";
export type { IdentityPeerOptions } from "./identity.ts";
export { accountPeer, runAccountPeer, ACCOUNT_LOAD } from "./account.ts";
export type { AccountPeerOptions } from "./account.ts";
export { billingPeer, runBillingPeer, BILLING_DISPUTE, HUMAN_BILLING, REPLY } from "./billing.ts";
export type { BillingPeerOptions } from "./billing.ts";
export { composerPeer, runComposerPeer } from "./composer.ts";
export type { ComposerPeerOptions } from "./composer.ts";
export { deskPeer, runDeskPeer, DEFAULT_DESK_CAPABILITIES } from "./desk.ts";
export type { DeskPeerOptions } from "./desk.ts";
export { followupPeer, FOLLOWUP_SCHEDULE } from "./followup.ts";
export type { FollowupPeerOptions } from "./followup.ts";
export { runFollowup } from "./followup-process.ts";
export { CX_FACT_KINDS } from "./facts.ts";
