// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';

export interface LinkAddressRequest {
  /**
   * An address the customer is already known by, on any channel.
   */
  'known_channel'?: (_casemesh_v1_Channel);
  'known_address'?: (string);
  /**
   * The address to join to that customer; the credential must speak for its channel.
   */
  'channel'?: (_casemesh_v1_Channel);
  'address'?: (string);
  /**
   * True when the channel verified the customer owns the new address.
   */
  'verified'?: (boolean);
}

export interface LinkAddressRequest__Output {
  /**
   * An address the customer is already known by, on any channel.
   */
  'known_channel': (_casemesh_v1_Channel__Output);
  'known_address': (string);
  /**
   * The address to join to that customer; the credential must speak for its channel.
   */
  'channel': (_casemesh_v1_Channel__Output);
  'address': (string);
  /**
   * True when the channel verified the customer owns the new address.
   */
  'verified': (boolean);
}
