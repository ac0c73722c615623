// Original file: proto/casemesh/v1/channel.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Where a customer message landed.
 */
export interface SendResponse {
  /**
   * The case the message is on.
   */
  'case_id'?: (string);
  /**
   * Always true: a message that is not accepted is answered with an error
   * status instead.
   */
  'accepted'?: (boolean);
  /**
   * The message's sequence in the log (the message.received fact's); for a
   * duplicate, the first message's.
   */
  'seq'?: (number | string | Long);
  /**
   * True when this client_message_id was seen before on the channel and
   * nothing was written.
   */
  'duplicate'?: (boolean);
  /**
   * The case's customer when the message was first written.
   */
  'customer_id'?: (string);
}

/**
 * Where a customer message landed.
 */
export interface SendResponse__Output {
  /**
   * The case the message is on.
   */
  'case_id': (string);
  /**
   * Always true: a message that is not accepted is answered with an error
   * status instead.
   */
  'accepted': (boolean);
  /**
   * The message's sequence in the log (the message.received fact's); for a
   * duplicate, the first message's.
   */
  'seq': (string);
  /**
   * True when this client_message_id was seen before on the channel and
   * nothing was written.
   */
  'duplicate': (boolean);
  /**
   * The case's customer when the message was first written.
   */
  'customer_id': (string);
}
