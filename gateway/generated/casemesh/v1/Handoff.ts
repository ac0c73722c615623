// Original file: proto/casemesh/v1/common.proto

import type { Bid as _casemesh_v1_Bid, Bid__Output as _casemesh_v1_Bid__Output } from '../../casemesh/v1/Bid.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * The award of a need to a peer, with every bid that decided it.
 */
export interface Handoff {
  'seq'?: (number | string | Long);
  'need_id'?: (string);
  /**
   * The capability of the step that opened the need, and the one it asked for.
   */
  'from_capability'?: (string);
  'to_capability'?: (string);
  'attempt'?: (number);
  'peer'?: (string);
  'bids'?: (_casemesh_v1_Bid)[];
  'at'?: (string);
}

/**
 * The award of a need to a peer, with every bid that decided it.
 */
export interface Handoff__Output {
  'seq': (string);
  'need_id': (string);
  /**
   * The capability of the step that opened the need, and the one it asked for.
   */
  'from_capability': (string);
  'to_capability': (string);
  'attempt': (number);
  'peer': (string);
  'bids': (_casemesh_v1_Bid__Output)[];
  'at': (string);
}
