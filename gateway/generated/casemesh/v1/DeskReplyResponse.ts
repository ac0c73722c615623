// Original file: proto/casemesh/v1/agent_desk.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

export interface DeskReplyResponse {
  'seq'?: (number | string | Long);
  'channel'?: (_casemesh_v1_Channel);
}

export interface DeskReplyResponse__Output {
  'seq': (string);
  'channel': (_casemesh_v1_Channel__Output);
}
