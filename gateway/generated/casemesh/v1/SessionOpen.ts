// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Opens a session for one customer address on one channel.
 */
export interface SessionOpen {
  /**
   * The channel; required, and the credential must speak for it.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer's address on `channel` (see SendRequest.address).
   */
  'address'?: (string);
  /**
   * Replies and the resolution on the customer's open case after this
   * sequence are sent (again); 0 sends them from the case's start. Use the
   * last seq received to resume a session.
   */
  'after_seq'?: (number | string | Long);
}

/**
 * Opens a session for one customer address on one channel.
 */
export interface SessionOpen__Output {
  /**
   * The channel; required, and the credential must speak for it.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer's address on `channel` (see SendRequest.address).
   */
  'address': (string);
  /**
   * Replies and the resolution on the customer's open case after this
   * sequence are sent (again); 0 sends them from the case's start. Use the
   * last seq received to resume a session.
   */
  'after_seq': (string);
}
