// Original file: proto/casemesh/v1/common.proto

/**
 * The kind of a customer-facing event (CaseEvent): one of the four fact
 * kinds a customer sees. The set is closed; a new value would come with a new
 * version of this API.
 */
export const CaseEventKind = {
  /**
   * Not set; not sent by this version.
   */
  CASE_EVENT_KIND_UNSPECIFIED: 'CASE_EVENT_KIND_UNSPECIFIED',
  /**
   * case.opened: a new case was opened on a channel.
   */
  CASE_EVENT_KIND_CASE_OPENED: 'CASE_EVENT_KIND_CASE_OPENED',
  /**
   * message.received: the customer said something.
   */
  CASE_EVENT_KIND_MESSAGE_RECEIVED: 'CASE_EVENT_KIND_MESSAGE_RECEIVED',
  /**
   * reply.drafted: a reply to the customer.
   */
  CASE_EVENT_KIND_REPLY_DRAFTED: 'CASE_EVENT_KIND_REPLY_DRAFTED',
  /**
   * case.resolved: the case is resolved.
   */
  CASE_EVENT_KIND_CASE_RESOLVED: 'CASE_EVENT_KIND_CASE_RESOLVED',
} as const;

/**
 * The kind of a customer-facing event (CaseEvent): one of the four fact
 * kinds a customer sees. The set is closed; a new value would come with a new
 * version of this API.
 */
export type CaseEventKind =
  /**
   * Not set; not sent by this version.
   */
  | 'CASE_EVENT_KIND_UNSPECIFIED'
  | 0
  /**
   * case.opened: a new case was opened on a channel.
   */
  | 'CASE_EVENT_KIND_CASE_OPENED'
  | 1
  /**
   * message.received: the customer said something.
   */
  | 'CASE_EVENT_KIND_MESSAGE_RECEIVED'
  | 2
  /**
   * reply.drafted: a reply to the customer.
   */
  | 'CASE_EVENT_KIND_REPLY_DRAFTED'
  | 3
  /**
   * case.resolved: the case is resolved.
   */
  | 'CASE_EVENT_KIND_CASE_RESOLVED'
  | 4

/**
 * The kind of a customer-facing event (CaseEvent): one of the four fact
 * kinds a customer sees. The set is closed; a new value would come with a new
 * version of this API.
 */
export type CaseEventKind__Output = typeof CaseEventKind[keyof typeof CaseEventKind]
