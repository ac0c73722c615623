// Original file: proto/casemesh/v1/agent_desk.proto


export interface DecisionResponse {
  /**
   * False when the reservation had already expired or was withdrawn.
   */
  'ok'?: (boolean);
  'case_id'?: (string);
}

export interface DecisionResponse__Output {
  /**
   * False when the reservation had already expired or was withdrawn.
   */
  'ok': (boolean);
  'case_id': (string);
}
