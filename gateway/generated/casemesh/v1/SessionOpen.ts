// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Opens a session for one customer address on one channel.
 */
export interface SessionOpen {
  'channel'?: (_casemesh_v1_Channel);
  'address'?: (string);
  /**
   * Replies after this sequence are sent again (a resumed session).
   */
  'after_seq'?: (number | string | Long);
}

/**
 * Opens a session for one customer address on one channel.
 */
export interface SessionOpen__Output {
  'channel': (_casemesh_v1_Channel__Output);
  'address': (string);
  /**
   * Replies after this sequence are sent again (a resumed session).
   */
  'after_seq': (string);
}
