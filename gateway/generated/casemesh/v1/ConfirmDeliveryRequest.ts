// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';

export interface ConfirmDeliveryRequest {
  'case_id'?: (string);
  /**
   * The reply.drafted fact that was delivered.
   */
  'fact_id'?: (string);
  'channel'?: (_casemesh_v1_Channel);
  /**
   * Where it was delivered.
   */
  'address'?: (string);
}

export interface ConfirmDeliveryRequest__Output {
  'case_id': (string);
  /**
   * The reply.drafted fact that was delivered.
   */
  'fact_id': (string);
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * Where it was delivered.
   */
  'address': (string);
}
