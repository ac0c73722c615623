// Original file: proto/casemesh/v1/channel.proto

import type { SessionOpened as _casemesh_v1_SessionOpened, SessionOpened__Output as _casemesh_v1_SessionOpened__Output } from '../../casemesh/v1/SessionOpened.ts';
import type { SendResponse as _casemesh_v1_SendResponse, SendResponse__Output as _casemesh_v1_SendResponse__Output } from '../../casemesh/v1/SendResponse.ts';
import type { CaseEvent as _casemesh_v1_CaseEvent, CaseEvent__Output as _casemesh_v1_CaseEvent__Output } from '../../casemesh/v1/CaseEvent.ts';

/**
 * One event of a Session.
 */
export interface SessionEvent {
  /**
   * The session is open (always the first event); case_id is empty until
   * the customer has an open case.
   */
  'opened'?: (_casemesh_v1_SessionOpened | null);
  /**
   * A message of this session is on the case: one per message, in order.
   */
  'accepted'?: (_casemesh_v1_SendResponse | null);
  /**
   * A reply drafted for this session's channel (CASE_EVENT_KIND_REPLY_DRAFTED),
   * or the case's resolution (CASE_EVENT_KIND_CASE_RESOLVED).
   */
  'event'?: (_casemesh_v1_CaseEvent | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "opened"|"accepted"|"event";
}

/**
 * One event of a Session.
 */
export interface SessionEvent__Output {
  /**
   * The session is open (always the first event); case_id is empty until
   * the customer has an open case.
   */
  'opened'?: (_casemesh_v1_SessionOpened__Output | null);
  /**
   * A message of this session is on the case: one per message, in order.
   */
  'accepted'?: (_casemesh_v1_SendResponse__Output | null);
  /**
   * A reply drafted for this session's channel (CASE_EVENT_KIND_REPLY_DRAFTED),
   * or the case's resolution (CASE_EVENT_KIND_CASE_RESOLVED).
   */
  'event'?: (_casemesh_v1_CaseEvent__Output | null);
  /**
   * Exactly one is set.
   */
  'kind'?: "opened"|"accepted"|"event";
}
