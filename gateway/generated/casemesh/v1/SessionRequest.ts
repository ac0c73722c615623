// Original file: proto/casemesh/v1/channel.proto

import type { SessionOpen as _casemesh_v1_SessionOpen, SessionOpen__Output as _casemesh_v1_SessionOpen__Output } from '../../casemesh/v1/SessionOpen.ts';
import type { SessionMessage as _casemesh_v1_SessionMessage, SessionMessage__Output as _casemesh_v1_SessionMessage__Output } from '../../casemesh/v1/SessionMessage.ts';

/**
 * One request of a Session: `open` first, then messages.
 */
export interface SessionRequest {
  /**
   * Opens the session; only the first request may be one.
   */
  'open'?: (_casemesh_v1_SessionOpen | null);
  /**
   * A customer message; only after `open`.
   */
  'message'?: (_casemesh_v1_SessionMessage | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "open"|"message";
}

/**
 * One request of a Session: `open` first, then messages.
 */
export interface SessionRequest__Output {
  /**
   * Opens the session; only the first request may be one.
   */
  'open'?: (_casemesh_v1_SessionOpen__Output | null);
  /**
   * A customer message; only after `open`.
   */
  'message'?: (_casemesh_v1_SessionMessage__Output | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "open"|"message";
}
