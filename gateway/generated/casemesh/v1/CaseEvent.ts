// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { CaseEventKind as _casemesh_v1_CaseEventKind, CaseEventKind__Output as _casemesh_v1_CaseEventKind__Output } from '../../casemesh/v1/CaseEventKind.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A customer-facing event of a case, in log order: a fact of kind
 * case.opened, message.received, reply.drafted or case.resolved, and no other.
 * Every reader of a case gets the same events (no source peer, need or bid).
 */
export interface CaseEvent {
  /**
   * The fact's sequence in the log: resume a watch after it.
   */
  'seq'?: (number | string | Long);
  /**
   * The case the fact is on.
   */
  'case_id'?: (string);
  /**
   * The fact's id.
   */
  'fact_id'?: (string);
  /**
   * When the fact was written, on the mesh clock (see the conventions above).
   */
  'at'?: (string);
  /**
   * The channel the case opened on (case.opened), the message came on
   * (message.received), or the reply is for (reply.drafted);
   * CHANNEL_UNSPECIFIED for case.resolved.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer's message, the reply, or the resolution; empty for
   * case.opened. In the customer's message, the digits of a one-time code the
   * case was waiting for are replaced with dots; a sealed reply reads
   * `[sealed:<ref>] …`.
   */
  'text'?: (string);
  /**
   * Which of the four kinds the fact is.
   */
  'kind'?: (_casemesh_v1_CaseEventKind);
}

/**
 * A customer-facing event of a case, in log order: a fact of kind
 * case.opened, message.received, reply.drafted or case.resolved, and no other.
 * Every reader of a case gets the same events (no source peer, need or bid).
 */
export interface CaseEvent__Output {
  /**
   * The fact's sequence in the log: resume a watch after it.
   */
  'seq': (string);
  /**
   * The case the fact is on.
   */
  'case_id': (string);
  /**
   * The fact's id.
   */
  'fact_id': (string);
  /**
   * When the fact was written, on the mesh clock (see the conventions above).
   */
  'at': (string);
  /**
   * The channel the case opened on (case.opened), the message came on
   * (message.received), or the reply is for (reply.drafted);
   * CHANNEL_UNSPECIFIED for case.resolved.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer's message, the reply, or the resolution; empty for
   * case.opened. In the customer's message, the digits of a one-time code the
   * case was waiting for are replaced with dots; a sealed reply reads
   * `[sealed:<ref>] …`.
   */
  'text': (string);
  /**
   * Which of the four kinds the fact is.
   */
  'kind': (_casemesh_v1_CaseEventKind__Output);
}
