// Original file: proto/casemesh/v1/common.proto

/**
 * Where a case stands (Timeline.status).
 */
export const CaseStatus = {
  /**
   * Not set; not sent by this version.
   */
  CASE_STATUS_UNSPECIFIED: 'CASE_STATUS_UNSPECIFIED',
  /**
   * The mesh is working on the case or waiting for the customer.
   */
  CASE_STATUS_OPEN: 'CASE_STATUS_OPEN',
  /**
   * A step asked for a person (an escalation.requested fact); the case stays
   * escalated until it is resolved.
   */
  CASE_STATUS_ESCALATED: 'CASE_STATUS_ESCALATED',
  /**
   * A case.resolved fact is on the case. Final: the customer's next message
   * opens a new case (with a new case_id). Facts may still follow on this one,
   * e.g. a follow-up reply that was scheduled before the resolution.
   */
  CASE_STATUS_RESOLVED: 'CASE_STATUS_RESOLVED',
} as const;

/**
 * Where a case stands (Timeline.status).
 */
export type CaseStatus =
  /**
   * Not set; not sent by this version.
   */
  | 'CASE_STATUS_UNSPECIFIED'
  | 0
  /**
   * The mesh is working on the case or waiting for the customer.
   */
  | 'CASE_STATUS_OPEN'
  | 1
  /**
   * A step asked for a person (an escalation.requested fact); the case stays
   * escalated until it is resolved.
   */
  | 'CASE_STATUS_ESCALATED'
  | 2
  /**
   * A case.resolved fact is on the case. Final: the customer's next message
   * opens a new case (with a new case_id). Facts may still follow on this one,
   * e.g. a follow-up reply that was scheduled before the resolution.
   */
  | 'CASE_STATUS_RESOLVED'
  | 3

/**
 * Where a case stands (Timeline.status).
 */
export type CaseStatus__Output = typeof CaseStatus[keyof typeof CaseStatus]
