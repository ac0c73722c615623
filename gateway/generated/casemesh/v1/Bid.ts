// Original file: proto/casemesh/v1/common.proto


/**
 * One bid of an auction, with the parts that made its utility.
 */
export interface Bid {
  /**
   * The bidding peer's id.
   */
  'peer'?: (string);
  /**
   * The bidder's version (a canary runs a newer one beside the stable).
   */
  'version'?: (string);
  /**
   * The auctioneer's score: fit + load - cost + continuity + version_weight,
   * each weighted by the mesh's weights for the capability and the customer's
   * tier, rounded to 9 decimals. The highest wins.
   */
  'utility'?: (number | string);
  /**
   * How well the peer's skill fits the need, 0-1.
   */
  'fit'?: (number | string);
  /**
   * The peer's spare capacity, 0-1: 1 idle, 0 full.
   */
  'load'?: (number | string);
  /**
   * The relative cost of serving (model price, human time), 0-1: 0 free.
   */
  'cost'?: (number | string);
  /**
   * 1 when this peer served this customer's previous need of this capability, else 0.
   */
  'continuity'?: (number | string);
  /**
   * The version weight, 0-1: 1 for a stable version, less for a canary.
   */
  'version_weight'?: (number | string);
}

/**
 * One bid of an auction, with the parts that made its utility.
 */
export interface Bid__Output {
  /**
   * The bidding peer's id.
   */
  'peer': (string);
  /**
   * The bidder's version (a canary runs a newer one beside the stable).
   */
  'version': (string);
  /**
   * The auctioneer's score: fit + load - cost + continuity + version_weight,
   * each weighted by the mesh's weights for the capability and the customer's
   * tier, rounded to 9 decimals. The highest wins.
   */
  'utility': (number);
  /**
   * How well the peer's skill fits the need, 0-1.
   */
  'fit': (number);
  /**
   * The peer's spare capacity, 0-1: 1 idle, 0 full.
   */
  'load': (number);
  /**
   * The relative cost of serving (model price, human time), 0-1: 0 free.
   */
  'cost': (number);
  /**
   * 1 when this peer served this customer's previous need of this capability, else 0.
   */
  'continuity': (number);
  /**
   * The version weight, 0-1: 1 for a stable version, less for a canary.
   */
  'version_weight': (number);
}
