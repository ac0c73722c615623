// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A fact on a case's timeline, with who wrote it.
 */
export interface TimelineFact {
  'seq'?: (number | string | Long);
  'fact_id'?: (string);
  'kind'?: (string);
  'at'?: (string);
  'source_peer'?: (string);
  'source_capability'?: (string);
  /**
   * The need that caused the fact, if any.
   */
  'need_id'?: (string);
  /**
   * Set for facts that carry a channel (messages, replies, links).
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The fact's data, as JSON.
   */
  'data_json'?: (string);
}

/**
 * A fact on a case's timeline, with who wrote it.
 */
export interface TimelineFact__Output {
  'seq': (string);
  'fact_id': (string);
  'kind': (string);
  'at': (string);
  'source_peer': (string);
  'source_capability': (string);
  /**
   * The need that caused the fact, if any.
   */
  'need_id': (string);
  /**
   * Set for facts that carry a channel (messages, replies, links).
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The fact's data, as JSON.
   */
  'data_json': (string);
}
