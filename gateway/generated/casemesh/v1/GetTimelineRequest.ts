// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';

/**
 * See WatchCaseRequest for who may read a case and what each field is for.
 */
export interface GetTimelineRequest {
  /**
   * The case to read.
   */
  'case_id'?: (string);
  /**
   * The channel of `address`; the credential must speak for it. Required for
   * a channel credential.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer address the channel back end acts for. Required for a
   * channel credential; the case must belong to this address's customer.
   */
  'address'?: (string);
  /**
   * The agent a desk credential acts for. Required for a desk credential;
   * the agent must have an offer of the case that is offered or accepted.
   */
  'agent_id'?: (string);
}

/**
 * See WatchCaseRequest for who may read a case and what each field is for.
 */
export interface GetTimelineRequest__Output {
  /**
   * The case to read.
   */
  'case_id': (string);
  /**
   * The channel of `address`; the credential must speak for it. Required for
   * a channel credential.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer address the channel back end acts for. Required for a
   * channel credential; the case must belong to this address's customer.
   */
  'address': (string);
  /**
   * The agent a desk credential acts for. Required for a desk credential;
   * the agent must have an offer of the case that is offered or accepted.
   */
  'agent_id': (string);
}
