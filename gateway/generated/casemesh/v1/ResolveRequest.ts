// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * The agent resolves the case.
 */
export interface ResolveRequest {
  /**
   * The agent holding the offer.
   */
  'agent_id'?: (string);
  /**
   * The accepted offer.
   */
  'offer_id'?: (string);
  /**
   * How the case was resolved: 1-2000 characters of text a person wrote.
   */
  'resolution'?: (string);
}

/**
 * The agent resolves the case.
 */
export interface ResolveRequest__Output {
  /**
   * The agent holding the offer.
   */
  'agent_id': (string);
  /**
   * The accepted offer.
   */
  'offer_id': (string);
  /**
   * How the case was resolved: 1-2000 characters of text a person wrote.
   */
  'resolution': (string);
}
