// Original file: proto/casemesh/v1/agent_desk.proto

import type { WithdrawalCause as _casemesh_v1_WithdrawalCause, WithdrawalCause__Output as _casemesh_v1_WithdrawalCause__Output } from '../../casemesh/v1/WithdrawalCause.ts';

/**
 * An offer left the stream.
 */
export interface OfferWithdrawn {
  /**
   * The offer withdrawn.
   */
  'offer_id'?: (string);
  /**
   * Why, in words for the agent.
   */
  'reason'?: (string);
  /**
   * Why, as a value to act on.
   */
  'cause'?: (_casemesh_v1_WithdrawalCause);
}

/**
 * An offer left the stream.
 */
export interface OfferWithdrawn__Output {
  /**
   * The offer withdrawn.
   */
  'offer_id': (string);
  /**
   * Why, in words for the agent.
   */
  'reason': (string);
  /**
   * Why, as a value to act on.
   */
  'cause': (_casemesh_v1_WithdrawalCause__Output);
}
