// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * Who signs in, and what work they take.
 */
export interface SignInRequest {
  /**
   * The agent's id: 1-64 letters, digits, _ and -. One sign-in per agent at a time.
   */
  'agent_id'?: (string);
  /**
   * The name shown for the agent: at most 128 characters, no control
   * characters; empty means agent_id.
   */
  'display_name'?: (string);
  /**
   * Capabilities the agent can serve, e.g. human.billing: 1-32, none repeated.
   */
  'skills'?: (string)[];
  /**
   * How many cases the agent takes at once: 1-50. The desk peer offers the
   * agent no more cases than that at a time (accepted offers and offers
   * waiting for an answer count).
   */
  'capacity'?: (number);
}

/**
 * Who signs in, and what work they take.
 */
export interface SignInRequest__Output {
  /**
   * The agent's id: 1-64 letters, digits, _ and -. One sign-in per agent at a time.
   */
  'agent_id': (string);
  /**
   * The name shown for the agent: at most 128 characters, no control
   * characters; empty means agent_id.
   */
  'display_name': (string);
  /**
   * Capabilities the agent can serve, e.g. human.billing: 1-32, none repeated.
   */
  'skills': (string)[];
  /**
   * How many cases the agent takes at once: 1-50. The desk peer offers the
   * agent no more cases than that at a time (accepted offers and offers
   * waiting for an answer count).
   */
  'capacity': (number);
}
