// Original file: proto/casemesh/v1/agent_desk.proto


/**
 * The result of a decision.
 */
export interface DecisionResponse {
  /**
   * False when the decision was not taken: the reservation had already
   * expired, or the offer was decided otherwise, withdrawn or settled.
   */
  'ok'?: (boolean);
  /**
   * The offer's case (also when ok is false).
   */
  'case_id'?: (string);
}

/**
 * The result of a decision.
 */
export interface DecisionResponse__Output {
  /**
   * False when the decision was not taken: the reservation had already
   * expired, or the offer was decided otherwise, withdrawn or settled.
   */
  'ok': (boolean);
  /**
   * The offer's case (also when ok is false).
   */
  'case_id': (string);
}
