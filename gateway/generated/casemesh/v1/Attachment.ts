// Original file: proto/casemesh/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Metadata of a file the customer sent; the bytes stay with the channel.
 */
export interface Attachment {
  'name'?: (string);
  'content_type'?: (string);
  'size_bytes'?: (number | string | Long);
}

/**
 * Metadata of a file the customer sent; the bytes stay with the channel.
 */
export interface Attachment__Output {
  'name': (string);
  'content_type': (string);
  'size_bytes': (string);
}
