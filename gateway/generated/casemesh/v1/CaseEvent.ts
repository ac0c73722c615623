// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A customer-facing event of a case, in log order.
 */
export interface CaseEvent {
  /**
   * The fact's sequence in the log: resume a watch after it.
   */
  'seq'?: (number | string | Long);
  'case_id'?: (string);
  'fact_id'?: (string);
  /**
   * message.received, reply.drafted, case.opened or case.resolved.
   */
  'kind'?: (string);
  /**
   * ISO-8601 UTC instant.
   */
  'at'?: (string);
  /**
   * The channel the message came on, or the reply is for.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer's message, the reply, or the resolution.
   */
  'text'?: (string);
}

/**
 * A customer-facing event of a case, in log order.
 */
export interface CaseEvent__Output {
  /**
   * The fact's sequence in the log: resume a watch after it.
   */
  'seq': (string);
  'case_id': (string);
  'fact_id': (string);
  /**
   * message.received, reply.drafted, case.opened or case.resolved.
   */
  'kind': (string);
  /**
   * ISO-8601 UTC instant.
   */
  'at': (string);
  /**
   * The channel the message came on, or the reply is for.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer's message, the reply, or the resolution.
   */
  'text': (string);
}
