// Original file: proto/casemesh/v1/channel.proto

import type { SessionOpened as _casemesh_v1_SessionOpened, SessionOpened__Output as _casemesh_v1_SessionOpened__Output } from '../../casemesh/v1/SessionOpened.ts';
import type { SendResponse as _casemesh_v1_SendResponse, SendResponse__Output as _casemesh_v1_SendResponse__Output } from '../../casemesh/v1/SendResponse.ts';
import type { CaseEvent as _casemesh_v1_CaseEvent, CaseEvent__Output as _casemesh_v1_CaseEvent__Output } from '../../casemesh/v1/CaseEvent.ts';

export interface SessionEvent {
  /**
   * The session is open; case_id is empty until the customer has a case.
   */
  'opened'?: (_casemesh_v1_SessionOpened | null);
  /**
   * A message of this session is on the case.
   */
  'accepted'?: (_casemesh_v1_SendResponse | null);
  /**
   * A reply for this session's channel, or the case's resolution.
   */
  'event'?: (_casemesh_v1_CaseEvent | null);
  'kind'?: "opened"|"accepted"|"event";
}

export interface SessionEvent__Output {
  /**
   * The session is open; case_id is empty until the customer has a case.
   */
  'opened'?: (_casemesh_v1_SessionOpened__Output | null);
  /**
   * A message of this session is on the case.
   */
  'accepted'?: (_casemesh_v1_SendResponse__Output | null);
  /**
   * A reply for this session's channel, or the case's resolution.
   */
  'event'?: (_casemesh_v1_CaseEvent__Output | null);
  'kind'?: "opened"|"accepted"|"event";
}
