// Original file: proto/casemesh/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Metadata of a file the customer sent; the bytes stay with the channel.
 */
export interface Attachment {
  /**
   * The file's name: 1-256 characters.
   */
  'name'?: (string);
  /**
   * A media type such as image/png: type/subtype of letters, digits and
   * _ . + -, at most 128 characters.
   */
  'content_type'?: (string);
  /**
   * The file's size; at most 2^53 - 1.
   */
  'size_bytes'?: (number | string | Long);
}

/**
 * Metadata of a file the customer sent; the bytes stay with the channel.
 */
export interface Attachment__Output {
  /**
   * The file's name: 1-256 characters.
   */
  'name': (string);
  /**
   * A media type such as image/png: type/subtype of letters, digits and
   * _ . + -, at most 128 characters.
   */
  'content_type': (string);
  /**
   * The file's size; at most 2^53 - 1.
   */
  'size_bytes': (string);
}
