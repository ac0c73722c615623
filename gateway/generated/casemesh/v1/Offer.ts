// Original file: proto/casemesh/v1/agent_desk.proto

import type { Timeline as _casemesh_v1_Timeline, Timeline__Output as _casemesh_v1_Timeline__Output } from '../../casemesh/v1/Timeline.ts';

/**
 * Work offered to this agent, reserved until expires_at.
 */
export interface Offer {
  /**
   * The offer: pass it to Accept, Decline, Reply, Resolve and HandBack.
   */
  'offer_id'?: (string);
  /**
   * The case the work is on.
   */
  'case_id'?: (string);
  /**
   * The need the agent would serve.
   */
  'need_id'?: (string);
  /**
   * The skill the work needs, one of the agent's.
   */
  'capability'?: (string);
  /**
   * Why the case needs a human, and what the mesh already knows: 1-16000 characters.
   */
  'summary'?: (string);
  /**
   * The end of the reservation, ISO-8601 UTC with milliseconds, on the WALL
   * clock of the desk peer that made the offer (its time plus the
   * reservation), unlike every `at` in `timeline`, which is mesh time. The
   * gateway checks Accept against its own wall clock; at this instant an
   * offer still offered is withdrawn from the stream.
   */
  'expires_at'?: (string);
  /**
   * The case's full timeline (every fact with its source, the handoffs and
   * their bids), read at least at the case version the offer was made at;
   * unset when it could not be read.
   */
  'timeline'?: (_casemesh_v1_Timeline | null);
}

/**
 * Work offered to this agent, reserved until expires_at.
 */
export interface Offer__Output {
  /**
   * The offer: pass it to Accept, Decline, Reply, Resolve and HandBack.
   */
  'offer_id': (string);
  /**
   * The case the work is on.
   */
  'case_id': (string);
  /**
   * The need the agent would serve.
   */
  'need_id': (string);
  /**
   * The skill the work needs, one of the agent's.
   */
  'capability': (string);
  /**
   * Why the case needs a human, and what the mesh already knows: 1-16000 characters.
   */
  'summary': (string);
  /**
   * The end of the reservation, ISO-8601 UTC with milliseconds, on the WALL
   * clock of the desk peer that made the offer (its time plus the
   * reservation), unlike every `at` in `timeline`, which is mesh time. The
   * gateway checks Accept against its own wall clock; at this instant an
   * offer still offered is withdrawn from the stream.
   */
  'expires_at': (string);
  /**
   * The case's full timeline (every fact with its source, the handoffs and
   * their bids), read at least at the case version the offer was made at;
   * unset when it could not be read.
   */
  'timeline': (_casemesh_v1_Timeline__Output | null);
}
