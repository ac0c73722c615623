// Original file: proto/casemesh/v1/channel.proto


/**
 * The session is open.
 */
export interface SessionOpened {
  /**
   * The customer the address belongs to (a new id for an address never seen;
   * it is recorded with the first message).
   */
  'customer_id'?: (string);
  /**
   * The customer's open case, or empty when they have none.
   */
  'case_id'?: (string);
}

/**
 * The session is open.
 */
export interface SessionOpened__Output {
  /**
   * The customer the address belongs to (a new id for an address never seen;
   * it is recorded with the first message).
   */
  'customer_id': (string);
  /**
   * The customer's open case, or empty when they have none.
   */
  'case_id': (string);
}
