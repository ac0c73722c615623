// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * The agent gives the case back.
 */
export interface HandBackRequest {
  /**
   * The agent holding the offer.
   */
  'agent_id'?: (string);
  /**
   * The accepted offer.
   */
  'offer_id'?: (string);
  /**
   * A note for whoever takes the case next: 1-2000 characters of text a person wrote.
   */
  'note'?: (string);
}

/**
 * The agent gives the case back.
 */
export interface HandBackRequest__Output {
  /**
   * The agent holding the offer.
   */
  'agent_id': (string);
  /**
   * The accepted offer.
   */
  'offer_id': (string);
  /**
   * A note for whoever takes the case next: 1-2000 characters of text a person wrote.
   */
  'note': (string);
}
