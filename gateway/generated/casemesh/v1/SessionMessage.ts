// Original file: proto/casemesh/v1/channel.proto

import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from '../../casemesh/v1/Attachment.ts';

/**
 * A customer message in a session; its channel and address are the session's.
 */
export interface SessionMessage {
  /**
   * What the customer said, as SendRequest.text.
   */
  'text'?: (string);
  /**
   * Files the customer sent, as SendRequest.attachments.
   */
  'attachments'?: (_casemesh_v1_Attachment)[];
  /**
   * The idempotency key, as SendRequest.client_message_id.
   */
  'client_message_id'?: (string);
}

/**
 * A customer message in a session; its channel and address are the session's.
 */
export interface SessionMessage__Output {
  /**
   * What the customer said, as SendRequest.text.
   */
  'text': (string);
  /**
   * Files the customer sent, as SendRequest.attachments.
   */
  'attachments': (_casemesh_v1_Attachment__Output)[];
  /**
   * The idempotency key, as SendRequest.client_message_id.
   */
  'client_message_id': (string);
}
