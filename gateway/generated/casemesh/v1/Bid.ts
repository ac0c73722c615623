// Original file: proto/casemesh/v1/common.proto


/**
 * One bid of an auction, with the parts that made its utility.
 */
export interface Bid {
  'peer'?: (string);
  'version'?: (string);
  'utility'?: (number | string);
  'fit'?: (number | string);
  'load'?: (number | string);
  'cost'?: (number | string);
  'continuity'?: (number | string);
  'version_weight'?: (number | string);
}

/**
 * One bid of an auction, with the parts that made its utility.
 */
export interface Bid__Output {
  'peer': (string);
  'version': (string);
  'utility': (number);
  'fit': (number);
  'load': (number);
  'cost': (number);
  'continuity': (number);
  'version_weight': (number);
}
