// Original file: proto/casemesh/v1/channel.proto

import type { Channel as _casemesh_v1_Channel, Channel__Output as _casemesh_v1_Channel__Output } from '../../casemesh/v1/Channel.ts';
import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from '../../casemesh/v1/Attachment.ts';

/**
 * A customer message to post.
 */
export interface SendRequest {
  /**
   * The channel the message came on; required, and the credential must speak
   * for it.
   */
  'channel'?: (_casemesh_v1_Channel);
  /**
   * The customer's address on `channel`, in that channel's format (see
   * Channel): a phone number, email address or chat user id.
   */
  'address'?: (string);
  /**
   * What the customer said: 1-16000 characters of text a person wrote (see
   * the conventions in common.proto).
   */
  'text'?: (string);
  /**
   * Files the customer sent: at most 20.
   */
  'attachments'?: (_casemesh_v1_Attachment)[];
  /**
   * The channel's own id for this message: the idempotency key, 1-128
   * printable ASCII characters without spaces. It is unique per channel, not
   * per address: the same id sent again on the channel, for any address, is
   * taken as a retry of the first message and answered with its case. The same
   * id on another channel is another message.
   */
  'client_message_id'?: (string);
}

/**
 * A customer message to post.
 */
export interface SendRequest__Output {
  /**
   * The channel the message came on; required, and the credential must speak
   * for it.
   */
  'channel': (_casemesh_v1_Channel__Output);
  /**
   * The customer's address on `channel`, in that channel's format (see
   * Channel): a phone number, email address or chat user id.
   */
  'address': (string);
  /**
   * What the customer said: 1-16000 characters of text a person wrote (see
   * the conventions in common.proto).
   */
  'text': (string);
  /**
   * Files the customer sent: at most 20.
   */
  'attachments': (_casemesh_v1_Attachment__Output)[];
  /**
   * The channel's own id for this message: the idempotency key, 1-128
   * printable ASCII characters without spaces. It is unique per channel, not
   * per address: the same id sent again on the channel, for any address, is
   * taken as a retry of the first message and answered with its case. The same
   * id on another channel is another message.
   */
  'client_message_id': (string);
}
