// Original file: proto/casemesh/v1/channel.proto

import type { Long } from '@grpc/proto-loader';

export interface SendResponse {
  'case_id'?: (string);
  /**
   * True when the message is on the case (first time or a retry).
   */
  'accepted'?: (boolean);
  /**
   * The message's sequence in the log.
   */
  'seq'?: (number | string | Long);
  /**
   * True when this client_message_id was seen before and nothing was written.
   */
  'duplicate'?: (boolean);
  'customer_id'?: (string);
}

export interface SendResponse__Output {
  'case_id': (string);
  /**
   * True when the message is on the case (first time or a retry).
   */
  'accepted': (boolean);
  /**
   * The message's sequence in the log.
   */
  'seq': (string);
  /**
   * True when this client_message_id was seen before and nothing was written.
   */
  'duplicate': (boolean);
  'customer_id': (string);
}
