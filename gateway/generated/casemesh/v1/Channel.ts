// Original file: proto/casemesh/v1/common.proto

/**
 * The channels a customer reaches casemesh on, and the address each uses.
 * An address is at most 320 characters, not only whitespace, without control
 * characters.
 * (These values predate the prefixed style of the other enums.)
 */
export const Channel = {
  /**
   * Not a channel: refused where a channel is required.
   */
  CHANNEL_UNSPECIFIED: 'CHANNEL_UNSPECIFIED',
  /**
   * A chat user id: any text, compared exactly once whitespace at the ends is trimmed.
   */
  CHAT: 'CHAT',
  /**
   * A phone number: 3-20 digits with an optional leading +; spaces, dashes, dots
   * and brackets are allowed and ignored ("+1 (555) 010-4242" is "+15550104242").
   */
  VOICE: 'VOICE',
  /**
   * An email address (local@domain.tld: one @, no whitespace), compared without case.
   */
  EMAIL: 'EMAIL',
  /**
   * A self-service (web, app) user id: like CHAT.
   */
  SELF_SERVICE: 'SELF_SERVICE',
} as const;

/**
 * The channels a customer reaches casemesh on, and the address each uses.
 * An address is at most 320 characters, not only whitespace, without control
 * characters.
 * (These values predate the prefixed style of the other enums.)
 */
export type Channel =
  /**
   * Not a channel: refused where a channel is required.
   */
  | 'CHANNEL_UNSPECIFIED'
  | 0
  /**
   * A chat user id: any text, compared exactly once whitespace at the ends is trimmed.
   */
  | 'CHAT'
  | 1
  /**
   * A phone number: 3-20 digits with an optional leading +; spaces, dashes, dots
   * and brackets are allowed and ignored ("+1 (555) 010-4242" is "+15550104242").
   */
  | 'VOICE'
  | 2
  /**
   * An email address (local@domain.tld: one @, no whitespace), compared without case.
   */
  | 'EMAIL'
  | 3
  /**
   * A self-service (web, app) user id: like CHAT.
   */
  | 'SELF_SERVICE'
  | 4

/**
 * The channels a customer reaches casemesh on, and the address each uses.
 * An address is at most 320 characters, not only whitespace, without control
 * characters.
 * (These values predate the prefixed style of the other enums.)
 */
export type Channel__Output = typeof Channel[keyof typeof Channel]
