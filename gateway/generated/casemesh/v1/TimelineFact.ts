// Original file: proto/casemesh/v1/common.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * A fact on a case's timeline, with who wrote it.
 */
export interface TimelineFact {
  /**
   * The fact's sequence in the log.
   */
  'seq'?: (number | string | Long);
  /**
   * The fact's id.
   */
  'fact_id'?: (string);
  /**
   * The fact's kind, a dotted name (`need.claimed`): an open set (see the
   * conventions above). Its data_json follows the kind's schema at `version`.
   */
  'kind'?: (string);
  /**
   * When the fact was written, on the mesh clock (see the conventions above).
   */
  'at'?: (string);
  /**
   * The peer that wrote the fact: a gateway's id for customer messages, a
   * peer's id for its step's facts, `desk:<agent_id>` for what an agent did at
   * the desk, and the auctioneer's host for need.claimed (not the winner: see
   * Handoff.peer). Empty in the customer's view.
   */
  'source_peer'?: (string);
  /**
   * The capability the writer served (`gateway`, `auction`, a peer's
   * capability, the desk skill). Empty in the customer's view.
   */
  'source_capability'?: (string);
  /**
   * The need the writer named on the fact (a step names the need it serves),
   * or empty. Empty in the customer's view.
   */
  'need_id'?: (string);
  /**
   * The data's `channel`, for the kinds whose data has one: of the core kinds
   * (case.opened, message.received, customer.linked, identity.challenged,
   * reply.drafted, reply.delivered), and of any other kind whose data has a
   * `channel` (the CX application's identity.attempted); CHANNEL_UNSPECIFIED
   * for the others.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The fact's data, as JSON (its kind's schema, see `kind`). In the
   * customer's view only the fields the customer may see are kept, so some a
   * schema requires may be missing.
   */
  'data_json'?: (string);
  /**
   * The contract version of `kind` the fact was written with (1 for every kind today).
   */
  'version'?: (number);
}

/**
 * A fact on a case's timeline, with who wrote it.
 */
export interface TimelineFact__Output {
  /**
   * The fact's sequence in the log.
   */
  'seq': (string);
  /**
   * The fact's id.
   */
  'fact_id': (string);
  /**
   * The fact's kind, a dotted name (`need.claimed`): an open set (see the
   * conventions above). Its data_json follows the kind's schema at `version`.
   */
  'kind': (string);
  /**
   * When the fact was written, on the mesh clock (see the conventions above).
   */
  'at': (string);
  /**
   * The peer that wrote the fact: a gateway's id for customer messages, a
   * peer's id for its step's facts, `desk:<agent_id>` for what an agent did at
   * the desk, and the auctioneer's host for need.claimed (not the winner: see
   * Handoff.peer). Empty in the customer's view.
   */
  'source_peer': (string);
  /**
   * The capability the writer served (`gateway`, `auction`, a peer's
   * capability, the desk skill). Empty in the customer's view.
   */
  'source_capability': (string);
  /**
   * The need the writer named on the fact (a step names the need it serves),
   * or empty. Empty in the customer's view.
   */
  'need_id': (string);
  /**
   * The data's `channel`, for the kinds whose data has one: of the core kinds
   * (case.opened, message.received, customer.linked, identity.challenged,
   * reply.drafted, reply.delivered), and of any other kind whose data has a
   * `channel` (the CX application's identity.attempted); CHANNEL_UNSPECIFIED
   * for the others.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The fact's data, as JSON (its kind's schema, see `kind`). In the
   * customer's view only the fields the customer may see are kept, so some a
   * schema requires may be missing.
   */
  'data_json': (string);
  /**
   * The contract version of `kind` the fact was written with (1 for every kind today).
   */
  'version': (number);
}
