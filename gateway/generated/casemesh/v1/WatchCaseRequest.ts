// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Who may read a case (WatchCase, GetTimeline): a channel credential reads
 * only the cases of the customer whose address it acts for, so it names
 * that address in `channel` and `address`; another customer's case, and a
 * case that does not exist, are both NOT_FOUND. What it is shown is the
 * customer's own view. A desk credential names the agent in `agent_id` and
 * reads a case the agent has an open offer of (offered or accepted), in
 * full. A credential configured for operator use reads any case in full and
 * needs none of these fields. A field a credential needs and lacks is
 * INVALID_ARGUMENT.
 */
export interface WatchCaseRequest {
  /**
   * The case to watch.
   */
  'case_id'?: (string);
  /**
   * Only events with a larger sequence are sent; 0 sends the whole history.
   */
  'after_seq'?: (number | string | Long);
  /**
   * The channel of `address`; the credential must speak for it. Required for
   * a channel credential.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer address the channel back end acts for (a phone number,
   * email address or chat user id). Required for a channel credential; the
   * case must belong to this address's customer.
   */
  'address'?: (string);
  /**
   * The agent a desk credential acts for. Required for a desk credential;
   * the agent must have an offer of the case that is offered or accepted.
   */
  'agent_id'?: (string);
}

/**
 * Who may read a case (WatchCase, GetTimeline): a channel credential reads
 * only the cases of the customer whose address it acts for, so it names
 * that address in `channel` and `address`; another customer's case, and a
 * case that does not exist, are both NOT_FOUND. What it is shown is the
 * customer's own view. A desk credential names the agent in `agent_id` and
 * reads a case the agent has an open offer of (offered or accepted), in
 * full. A credential configured for operator use reads any case in full and
 * needs none of these fields. A field a credential needs and lacks is
 * INVALID_ARGUMENT.
 */
export interface WatchCaseRequest__Output {
  /**
   * The case to watch.
   */
  'case_id': (string);
  /**
   * Only events with a larger sequence are sent; 0 sends the whole history.
   */
  'after_seq': (string);
  /**
   * The channel of `address`; the credential must speak for it. Required for
   * a channel credential.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer address the channel back end acts for (a phone number,
   * email address or chat user id). Required for a channel credential; the
   * case must belong to this address's customer.
   */
  'address': (string);
  /**
   * The agent a desk credential acts for. Required for a desk credential;
   * the agent must have an offer of the case that is offered or accepted.
   */
  'agent_id': (string);
}
