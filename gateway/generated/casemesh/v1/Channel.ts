// Original file: proto/casemesh/v1/common.proto

/**
 * The channels a customer reaches casemesh on.
 */
export const Channel = {
  CHANNEL_UNSPECIFIED: 'CHANNEL_UNSPECIFIED',
  CHAT: 'CHAT',
  VOICE: 'VOICE',
  EMAIL: 'EMAIL',
  SELF_SERVICE: 'SELF_SERVICE',
} as const;

/**
 * The channels a customer reaches casemesh on.
 */
export type Channel =
  | 'CHANNEL_UNSPECIFIED'
  | 0
  | 'CHAT'
  | 1
  | 'VOICE'
  | 2
  | 'EMAIL'
  | 3
  | 'SELF_SERVICE'
  | 4

/**
 * The channels a customer reaches casemesh on.
 */
export type Channel__Output = typeof Channel[keyof typeof Channel]
