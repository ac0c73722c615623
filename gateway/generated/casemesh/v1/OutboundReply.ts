// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A reply to deliver on the channel.
 */
export interface OutboundReply {
  'seq'?: (number | string | Long);
  'case_id'?: (string);
  /**
   * The reply.drafted fact: pass it to ConfirmDelivery.
   */
  'fact_id'?: (string);
  'channel'?: (_casemesh_v1_Channel);
  'customer_id'?: (string);
  /**
   * The customer's addresses on this channel, verified ones first; empty
   * when the customer has none on it.
   */
  'addresses'?: (string)[];
  'text'?: (string);
  'at'?: (string);
}

/**
 * A reply to deliver on the channel.
 */
export interface OutboundReply__Output {
  'seq': (string);
  'case_id': (string);
  /**
   * The reply.drafted fact: pass it to ConfirmDelivery.
   */
  'fact_id': (string);
  'channel': (_casemesh_v1_Channel__Output);
  'customer_id': (string);
  /**
   * The customer's addresses on this channel, verified ones first; empty
   * when the customer has none on it.
   */
  'addresses': (string)[];
  'text': (string);
  'at': (string);
}
