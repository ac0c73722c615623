// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { TimelineFact as _casemesh_v1_TimelineFact, TimelineFact__Output as _casemesh_v1_TimelineFact__Output } from '../../casemesh/v1/TimelineFact.ts';
import type { Handoff as _casemesh_v1_Handoff, Handoff__Output as _casemesh_v1_Handoff__Output } from '../../casemesh/v1/Handoff.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A case's story: every fact, and every handoff with its bids.
 */
export interface Timeline {
  'case_id'?: (string);
  'customer_id'?: (string);
  /**
   * open, escalated or resolved.
   */
  'status'?: (string);
  /**
   * Channels the customer used, in order of first use.
   */
  'channels'?: (_casemesh_v1_Channel)[];
  'current_channel'?: (_casemesh_v1_Channel);
  'facts'?: (_casemesh_v1_TimelineFact)[];
  'handoffs'?: (_casemesh_v1_Handoff)[];
  /**
   * The case version the timeline was read at.
   */
  'last_seq'?: (number | string | Long);
}

/**
 * A case's story: every fact, and every handoff with its bids.
 */
export interface Timeline__Output {
  'case_id': (string);
  'customer_id': (string);
  /**
   * open, escalated or resolved.
   */
  'status': (string);
  /**
   * Channels the customer used, in order of first use.
   */
  'channels': (_casemesh_v1_Channel__Output)[];
  'current_channel': (_casemesh_v1_Channel__Output);
  'facts': (_casemesh_v1_TimelineFact__Output)[];
  'handoffs': (_casemesh_v1_Handoff__Output)[];
  /**
   * The case version the timeline was read at.
   */
  'last_seq': (string);
}
