// Original file: proto/casemesh/v1/channel.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchCaseRequest {
  'case_id'?: (string);
  /**
   * Only events with a larger sequence are sent; 0 sends the whole history.
   */
  'after_seq'?: (number | string | Long);
}

export interface WatchCaseRequest__Output {
  'case_id': (string);
  /**
   * Only events with a larger sequence are sent; 0 sends the whole history.
   */
  'after_seq': (string);
}
