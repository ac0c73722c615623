// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';

/**
 * A delivery to record.
 */
export interface ConfirmDeliveryRequest {
  /**
   * The case the reply is on.
   */
  'case_id'?: (string);
  /**
   * The reply.drafted fact that was delivered (OutboundReply.fact_id).
   */
  'fact_id'?: (string);
  /**
   * The reply's channel; the credential must speak for it.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * Where it was delivered, in channel's format.
   */
  'address'?: (string);
}

/**
 * A delivery to record.
 */
export interface ConfirmDeliveryRequest__Output {
  /**
   * The case the reply is on.
   */
  'case_id': (string);
  /**
   * The reply.drafted fact that was delivered (OutboundReply.fact_id).
   */
  'fact_id': (string);
  /**
   * The reply's channel; the credential must speak for it.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * Where it was delivered, in channel's format.
   */
  'address': (string);
}
