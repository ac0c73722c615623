// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * A reply from the agent to the customer.
 */
export interface DeskReplyRequest {
  /**
   * The agent holding the offer.
   */
  'agent_id'?: (string);
  /**
   * The accepted offer.
   */
  'offer_id'?: (string);
  /**
   * What to tell the customer: 1-16000 characters of text a person wrote.
   */
  'text'?: (string);
}

/**
 * A reply from the agent to the customer.
 */
export interface DeskReplyRequest__Output {
  /**
   * The agent holding the offer.
   */
  'agent_id': (string);
  /**
   * The accepted offer.
   */
  'offer_id': (string);
  /**
   * What to tell the customer: 1-16000 characters of text a person wrote.
   */
  'text': (string);
}
