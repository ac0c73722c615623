// Original file: proto/casemesh/v1/agent_desk.proto

import type { Long } from '@grpc/proto-loader';

export interface DeskDone {
  'seq'?: (number | string | Long);
}

export interface DeskDone__Output {
  'seq': (string);
}
