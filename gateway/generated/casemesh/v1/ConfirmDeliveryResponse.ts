// Original file: proto/casemesh/v1/channel.proto

import type { Long } from '@grpc/proto-loader';

export interface ConfirmDeliveryResponse {
  /**
   * The reply.delivered fact's sequence.
   */
  'seq'?: (number | string | Long);
  /**
   * True when the delivery had been confirmed before; nothing was written.
   */
  'duplicate'?: (boolean);
}

export interface ConfirmDeliveryResponse__Output {
  /**
   * The reply.delivered fact's sequence.
   */
  'seq': (string);
  /**
   * True when the delivery had been confirmed before; nothing was written.
   */
  'duplicate': (boolean);
}
