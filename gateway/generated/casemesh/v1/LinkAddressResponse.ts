// Original file: proto/casemesh/v1/channel.proto


/**
 * The customer the address now belongs to.
 */
export interface LinkAddressResponse {
  /**
   * The customer who owns known_address.
   */
  'customer_id'?: (string);
  /**
   * False when nothing was written: the address was already linked, and that
   * link is verified or this request is not. A retry of a call that linked
   * answers false.
   */
  'linked'?: (boolean);
}

/**
 * The customer the address now belongs to.
 */
export interface LinkAddressResponse__Output {
  /**
   * The customer who owns known_address.
   */
  'customer_id': (string);
  /**
   * False when nothing was written: the address was already linked, and that
   * link is verified or this request is not. A retry of a call that linked
   * answers false.
   */
  'linked': (boolean);
}
