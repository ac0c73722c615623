// Original file: proto/casemesh/v1/channel.proto

import type { SessionOpen as _casemesh_v1_SessionOpen, SessionOpen__Output as _casemesh_v1_SessionOpen__Output } from '../../casemesh/v1/SessionOpen.ts';
import type { SessionMessage as _casemesh_v1_SessionMessage, SessionMessage__Output as _casemesh_v1_SessionMessage__Output } from '../../casemesh/v1/SessionMessage.ts';

export interface SessionRequest {
  'open'?: (_casemesh_v1_SessionOpen | null);
  'message'?: (_casemesh_v1_SessionMessage | null);
  'kind'?: "open"|"message";
}

export interface SessionRequest__Output {
  'open'?: (_casemesh_v1_SessionOpen__Output | null);
  'message'?: (_casemesh_v1_SessionMessage__Output | null);
  'kind'?: "open"|"message";
}
