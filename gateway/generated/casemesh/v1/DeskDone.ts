// Original file: proto/casemesh/v1/agent_desk.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A finished piece of desk work.
 */
export interface DeskDone {
  /**
   * Resolve: the case.resolved fact's sequence. HandBack: always 0 (it writes no fact).
   */
  'seq'?: (number | string | Long);
}

/**
 * A finished piece of desk work.
 */
export interface DeskDone__Output {
  /**
   * Resolve: the case.resolved fact's sequence. HandBack: always 0 (it writes no fact).
   */
  'seq': (string);
}
