// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { TimelineFact as _casemesh_v1_TimelineFact, TimelineFact__Output as _casemesh_v1_TimelineFact__Output } from '../../casemesh/v1/TimelineFact.ts';
import type { Handoff as _casemesh_v1_Handoff, Handoff__Output as _casemesh_v1_Handoff__Output } from '../../casemesh/v1/Handoff.ts';
import type { CaseStatus as _casemesh_v1_CaseStatus, CaseStatus__Output as _casemesh_v1_CaseStatus__Output } from '../../casemesh/v1/CaseStatus.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A case's story: every fact, and every handoff with its bids.
 */
export interface Timeline {
  /**
   * The case.
   */
  'case_id'?: (string);
  /**
   * The case's customer; empty while no fact on the case has named one.
   */
  'customer_id'?: (string);
  /**
   * Channels the customer used, in order of first use.
   */
  'channels'?: (_casemesh_v1_Channel)[];
  /**
   * The channel of the latest customer message: where replies go.
   */
  'current_channel'?: (_casemesh_v1_Channel);
  /**
   * The case's facts, in log order: every one in full, or in the customer's
   * view only case.opened, message.received, reply.drafted, reply.delivered
   * and case.resolved.
   */
  'facts'?: (_casemesh_v1_TimelineFact)[];
  /**
   * Every award of a need, in log order; empty in the customer's view.
   */
  'handoffs'?: (_casemesh_v1_Handoff)[];
  /**
   * The case version the timeline was read at: the sequence of its last fact.
   */
  'last_seq'?: (number | string | Long);
  /**
   * Where the case stands.
   */
  'status'?: (_casemesh_v1_CaseStatus);
}

/**
 * A case's story: every fact, and every handoff with its bids.
 */
export interface Timeline__Output {
  /**
   * The case.
   */
  'case_id': (string);
  /**
   * The case's customer; empty while no fact on the case has named one.
   */
  'customer_id': (string);
  /**
   * Channels the customer used, in order of first use.
   */
  'channels': (_casemesh_v1_Channel__Output)[];
  /**
   * The channel of the latest customer message: where replies go.
   */
  'current_channel': (_casemesh_v1_Channel__Output);
  /**
   * The case's facts, in log order: every one in full, or in the customer's
   * view only case.opened, message.received, reply.drafted, reply.delivered
   * and case.resolved.
   */
  'facts': (_casemesh_v1_TimelineFact__Output)[];
  /**
   * Every award of a need, in log order; empty in the customer's view.
   */
  'handoffs': (_casemesh_v1_Handoff__Output)[];
  /**
   * The case version the timeline was read at: the sequence of its last fact.
   */
  'last_seq': (string);
  /**
   * Where the case stands.
   */
  'status': (_casemesh_v1_CaseStatus__Output);
}
