// Original file: proto/casemesh/v1/channel.proto

import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from '../../casemesh/v1/Attachment.ts';

export interface SessionMessage {
  'text'?: (string);
  'attachments'?: (_casemesh_v1_Attachment)[];
  'client_message_id'?: (string);
}

export interface SessionMessage__Output {
  'text': (string);
  'attachments': (_casemesh_v1_Attachment__Output)[];
  'client_message_id': (string);
}
