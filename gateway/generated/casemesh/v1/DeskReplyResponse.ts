// Original file: proto/casemesh/v1/agent_desk.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * The reply written.
 */
export interface DeskReplyResponse {
  /**
   * The reply.drafted fact's sequence.
   */
  'seq'?: (number | string | Long);
  /**
   * The channel the reply went to.
   */
  'channel'?: (_casemesh_v1_Channel);
}

/**
 * The reply written.
 */
export interface DeskReplyResponse__Output {
  /**
   * The reply.drafted fact's sequence.
   */
  'seq': (string);
  /**
   * The channel the reply went to.
   */
  'channel': (_casemesh_v1_Channel__Output);
}
