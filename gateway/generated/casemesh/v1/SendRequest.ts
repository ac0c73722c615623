// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from '../../casemesh/v1/Attachment.ts';

export interface SendRequest {
  'channel'?: (_casemesh_v1_Channel);
  /**
   * Phone number, email address or chat user id.
   */
  'address'?: (string);
  'text'?: (string);
  'attachments'?: (_casemesh_v1_Attachment)[];
  /**
   * The channel's own id for this message: the idempotency key.
   */
  'client_message_id'?: (string);
}

export interface SendRequest__Output {
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * Phone number, email address or chat user id.
   */
  'address': (string);
  'text': (string);
  'attachments': (_casemesh_v1_Attachment__Output)[];
  /**
   * The channel's own id for this message: the idempotency key.
   */
  'client_message_id': (string);
}
