// Original file: proto/casemesh/v1/agent_desk.proto

/**
 * Why an offer left the SignIn stream.
 */
export const WithdrawalCause = {
  /**
   * Not set; not sent by this version.
   */
  WITHDRAWAL_CAUSE_UNSPECIFIED: 'WITHDRAWAL_CAUSE_UNSPECIFIED',
  /**
   * The offer expired: its reservation ran out (reason "the reservation
   * expired"), or a writer of the desk board ended it with another note,
   * which `reason` carries.
   */
  WITHDRAWAL_CAUSE_EXPIRED: 'WITHDRAWAL_CAUSE_EXPIRED',
  /**
   * The offer was deleted from the desk board (reason "the offer was taken back").
   */
  WITHDRAWAL_CAUSE_TAKEN_BACK: 'WITHDRAWAL_CAUSE_TAKEN_BACK',
} as const;

/**
 * Why an offer left the SignIn stream.
 */
export type WithdrawalCause =
  /**
   * Not set; not sent by this version.
   */
  | 'WITHDRAWAL_CAUSE_UNSPECIFIED'
  | 0
  /**
   * The offer expired: its reservation ran out (reason "the reservation
   * expired"), or a writer of the desk board ended it with another note,
   * which `reason` carries.
   */
  | 'WITHDRAWAL_CAUSE_EXPIRED'
  | 1
  /**
   * The offer was deleted from the desk board (reason "the offer was taken back").
   */
  | 'WITHDRAWAL_CAUSE_TAKEN_BACK'
  | 2

/**
 * Why an offer left the SignIn stream.
 */
export type WithdrawalCause__Output = typeof WithdrawalCause[keyof typeof WithdrawalCause]
