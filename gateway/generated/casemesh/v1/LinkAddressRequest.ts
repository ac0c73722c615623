// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';

/**
 * An address to join to a known customer.
 */
export interface LinkAddressRequest {
  /**
   * The channel of an address the customer is already known by; any channel.
   */
  'known_channel'?: (_casemesh_v1_Channel);
  /**
   * That address, in known_channel's format.
   */
  'known_address'?: (string);
  /**
   * The channel of the address to join; the credential must speak for it.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The address to join, in channel's format.
   */
  'address'?: (string);
  /**
   * True when the channel verified the customer owns the new address. An
   * unverified link can later be verified by linking again with true.
   */
  'verified'?: (boolean);
}

/**
 * An address to join to a known customer.
 */
export interface LinkAddressRequest__Output {
  /**
   * The channel of an address the customer is already known by; any channel.
   */
  'known_channel': (_casemesh_v1_Channel__Output);
  /**
   * That address, in known_channel's format.
   */
  'known_address': (string);
  /**
   * The channel of the address to join; the credential must speak for it.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The address to join, in channel's format.
   */
  'address': (string);
  /**
   * True when the channel verified the customer owns the new address. An
   * unverified link can later be verified by linking again with true.
   */
  'verified': (boolean);
}
