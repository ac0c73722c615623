// Original file: proto/casemesh/v1/channel.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The recorded delivery.
 */
export interface ConfirmDeliveryResponse {
  /**
   * The reply.delivered fact's sequence (the first one's, for a duplicate).
   */
  'seq'?: (number | string | Long);
  /**
   * True when the delivery had been confirmed before; nothing was written.
   */
  'duplicate'?: (boolean);
}

/**
 * The recorded delivery.
 */
export interface ConfirmDeliveryResponse__Output {
  /**
   * The reply.delivered fact's sequence (the first one's, for a duplicate).
   */
  'seq': (string);
  /**
   * True when the delivery had been confirmed before; nothing was written.
   */
  'duplicate': (boolean);
}
