// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * One agent's decision on one offer (Accept, Decline).
 */
export interface OfferDecision {
  /**
   * The agent deciding: the one the offer was made to.
   */
  'agent_id'?: (string);
  /**
   * The offer, as offered.
   */
  'offer_id'?: (string);
}

/**
 * One agent's decision on one offer (Accept, Decline).
 */
export interface OfferDecision__Output {
  /**
   * The agent deciding: the one the offer was made to.
   */
  'agent_id': (string);
  /**
   * The offer, as offered.
   */
  'offer_id': (string);
}
