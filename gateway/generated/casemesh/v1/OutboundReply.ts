// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A reply to deliver on the channel.
 */
export interface OutboundReply {
  /**
   * The reply.drafted fact's sequence: resume the Outbox after it.
   */
  'seq'?: (number | string | Long);
  /**
   * The case the reply is on.
   */
  'case_id'?: (string);
  /**
   * The reply.drafted fact: pass it to ConfirmDelivery.
   */
  'fact_id'?: (string);
  /**
   * The channel the reply is for (the Outbox's).
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The case's customer; empty when the case has none.
   */
  'customer_id'?: (string);
  /**
   * Where to deliver it: the customer's addresses on this channel, verified
   * ones first, empty when the customer has none on it. For a sealed reply
   * (a one-time code), exactly the one address it must go to: a contact
   * registered on the account, never the case customer's own addresses.
   */
  'addresses'?: (string)[];
  /**
   * The reply's text; for a sealed reply, the text with the code, which the
   * log and the timeline never hold.
   */
  'text'?: (string);
  /**
   * When the reply was drafted, on the mesh clock.
   */
  'at'?: (string);
}

/**
 * A reply to deliver on the channel.
 */
export interface OutboundReply__Output {
  /**
   * The reply.drafted fact's sequence: resume the Outbox after it.
   */
  'seq': (string);
  /**
   * The case the reply is on.
   */
  'case_id': (string);
  /**
   * The reply.drafted fact: pass it to ConfirmDelivery.
   */
  'fact_id': (string);
  /**
   * The channel the reply is for (the Outbox's).
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The case's customer; empty when the case has none.
   */
  'customer_id': (string);
  /**
   * Where to deliver it: the customer's addresses on this channel, verified
   * ones first, empty when the customer has none on it. For a sealed reply
   * (a one-time code), exactly the one address it must go to: a contact
   * registered on the account, never the case customer's own addresses.
   */
  'addresses': (string)[];
  /**
   * The reply's text; for a sealed reply, the text with the code, which the
   * log and the timeline never hold.
   */
  'text': (string);
  /**
   * When the reply was drafted, on the mesh clock.
   */
  'at': (string);
}
