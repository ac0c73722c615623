// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * The agent is signed in.
 */
export interface SignedIn {
  /**
   * The agent signed in.
   */
  'agent_id'?: (string);
}

/**
 * The agent is signed in.
 */
export interface SignedIn__Output {
  /**
   * The agent signed in.
   */
  'agent_id': (string);
}
