// Original file: proto/casemesh/v1/agent_desk.proto


export interface SignInRequest {
  /**
   * The agent's id: letters, digits, _ and -.
   */
  'agent_id'?: (string);
  'display_name'?: (string);
  /**
   * Capabilities the agent can serve, e.g. human.billing.
   */
  'skills'?: (string)[];
  /**
   * How many cases the agent takes at once.
   */
  'capacity'?: (number);
}

export interface SignInRequest__Output {
  /**
   * The agent's id: letters, digits, _ and -.
   */
  'agent_id': (string);
  'display_name': (string);
  /**
   * Capabilities the agent can serve, e.g. human.billing.
   */
  'skills': (string)[];
  /**
   * How many cases the agent takes at once.
   */
  'capacity': (number);
}
