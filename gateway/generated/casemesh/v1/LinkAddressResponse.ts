// Original file: proto/casemesh/v1/channel.proto


export interface LinkAddressResponse {
  'customer_id'?: (string);
  /**
   * False when the address was already linked to this customer.
   */
  'linked'?: (boolean);
}

export interface LinkAddressResponse__Output {
  'customer_id': (string);
  /**
   * False when the address was already linked to this customer.
   */
  'linked': (boolean);
}
