// Original file: proto/casemesh/v1/agent_desk.proto

import type { SignedIn as _casemesh_v1_SignedIn, SignedIn__Output as _casemesh_v1_SignedIn__Output } from '../../casemesh/v1/SignedIn.ts';
import type { Offer as _casemesh_v1_Offer, Offer__Output as _casemesh_v1_Offer__Output } from '../../casemesh/v1/Offer.ts';
import type { OfferWithdrawn as _casemesh_v1_OfferWithdrawn, OfferWithdrawn__Output as _casemesh_v1_OfferWithdrawn__Output } from '../../casemesh/v1/OfferWithdrawn.ts';

/**
 * One event of a SignIn stream.
 */
export interface DeskEvent {
  /**
   * The agent is signed in: always the first event, sent once.
   */
  'signed_in'?: (_casemesh_v1_SignedIn | null);
  /**
   * Work offered to this agent.
   */
  'offer'?: (_casemesh_v1_Offer | null);
  /**
   * An offer shown on this stream left it before the agent decided: its
   * reservation expired, or it was taken back. An offer the agent accepted
   * or declined is never withdrawn.
   */
  'withdrawn'?: (_casemesh_v1_OfferWithdrawn | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "signed_in"|"offer"|"withdrawn";
}

/**
 * One event of a SignIn stream.
 */
export interface DeskEvent__Output {
  /**
   * The agent is signed in: always the first event, sent once.
   */
  'signed_in'?: (_casemesh_v1_SignedIn__Output | null);
  /**
   * Work offered to this agent.
   */
  'offer'?: (_casemesh_v1_Offer__Output | null);
  /**
   * An offer shown on this stream left it before the agent decided: its
   * reservation expired, or it was taken back. An offer the agent accepted
   * or declined is never withdrawn.
   */
  'withdrawn'?: (_casemesh_v1_OfferWithdrawn__Output | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "signed_in"|"offer"|"withdrawn";
}
