// Original file: proto/casemesh/v1/common.proto

import type { Bid as _casemesh_v1_Bid, Bid__Output as _casemesh_v1_Bid__Output } from '../../casemesh/v1/Bid.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * The award of a need to a peer (a need.claimed fact), with every bid that
 * decided it. A need awarded again (its holder did not confirm or let it go)
 * is one more Handoff, with the next attempt.
 */
export interface Handoff {
  /**
   * The sequence of the need.claimed fact; its source_peer is the auctioneer.
   */
  'seq'?: (number | string | Long);
  /**
   * The need awarded.
   */
  'need_id'?: (string);
  /**
   * The source capability of the need.opened fact that opened the need (the
   * step that asked; `gateway` for the first need of every customer message),
   * or empty if that fact is not on the case.
   */
  'from_capability'?: (string);
  /**
   * The capability the need asked for.
   */
  'to_capability'?: (string);
  /**
   * The award's attempt: the need's own attempt (1 unless it is a retry), one
   * more for each award after it.
   */
  'attempt'?: (number);
  /**
   * The peer the need was awarded to: the winning bidder (bids[0]), not the
   * auctioneer that ran the auction.
   */
  'peer'?: (string);
  /**
   * Every bid, best first.
   */
  'bids'?: (_casemesh_v1_Bid)[];
  /**
   * When the award was written, on the mesh clock.
   */
  'at'?: (string);
}

/**
 * The award of a need to a peer (a need.claimed fact), with every bid that
 * decided it. A need awarded again (its holder did not confirm or let it go)
 * is one more Handoff, with the next attempt.
 */
export interface Handoff__Output {
  /**
   * The sequence of the need.claimed fact; its source_peer is the auctioneer.
   */
  'seq': (string);
  /**
   * The need awarded.
   */
  'need_id': (string);
  /**
   * The source capability of the need.opened fact that opened the need (the
   * step that asked; `gateway` for the first need of every customer message),
   * or empty if that fact is not on the case.
   */
  'from_capability': (string);
  /**
   * The capability the need asked for.
   */
  'to_capability': (string);
  /**
   * The award's attempt: the need's own attempt (1 unless it is a retry), one
   * more for each award after it.
   */
  'attempt': (number);
  /**
   * The peer the need was awarded to: the winning bidder (bids[0]), not the
   * auctioneer that ran the auction.
   */
  'peer': (string);
  /**
   * Every bid, best first.
   */
  'bids': (_casemesh_v1_Bid__Output)[];
  /**
   * When the award was written, on the mesh clock.
   */
  'at': (string);
}
