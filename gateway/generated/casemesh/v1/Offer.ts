// Original file: proto/casemesh/v1/agent_desk.proto

import type { Timeline as _casemesh_v1_Timeline, Timeline__Output as _casemesh_v1_Timeline__Output } from '../../casemesh/v1/Timeline.ts';

/**
 * Work offered to this agent, reserved until expires_at.
 */
export interface Offer {
  'offer_id'?: (string);
  'case_id'?: (string);
  'need_id'?: (string);
  'capability'?: (string);
  /**
   * Why the case needs a human, and what the mesh already knows.
   */
  'summary'?: (string);
  'expires_at'?: (string);
  'timeline'?: (_casemesh_v1_Timeline | null);
}

/**
 * Work offered to this agent, reserved until expires_at.
 */
export interface Offer__Output {
  'offer_id': (string);
  'case_id': (string);
  'need_id': (string);
  'capability': (string);
  /**
   * Why the case needs a human, and what the mesh already knows.
   */
  'summary': (string);
  'expires_at': (string);
  'timeline': (_casemesh_v1_Timeline__Output | null);
}
