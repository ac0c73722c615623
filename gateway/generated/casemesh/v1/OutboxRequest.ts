// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Which channel's replies to stream.
 */
export interface OutboxRequest {
  /**
   * The channel whose replies to stream; the credential must speak for it.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * Only replies with a larger sequence are sent; 0 sends every one.
   */
  'after_seq'?: (number | string | Long);
}

/**
 * Which channel's replies to stream.
 */
export interface OutboxRequest__Output {
  /**
   * The channel whose replies to stream; the credential must speak for it.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * Only replies with a larger sequence are sent; 0 sends every one.
   */
  'after_seq': (string);
}
