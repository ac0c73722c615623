// Original file: proto/casemesh/v1/agent_desk.proto

import type { SignedIn as _casemesh_v1_SignedIn, SignedIn__Output as _casemesh_v1_SignedIn__Output } from '../../casemesh/v1/SignedIn.ts';
import type { Offer as _casemesh_v1_Offer, Offer__Output as _casemesh_v1_Offer__Output } from '../../casemesh/v1/Offer.ts';
import type { OfferWithdrawn as _casemesh_v1_OfferWithdrawn, OfferWithdrawn__Output as _casemesh_v1_OfferWithdrawn__Output } from '../../casemesh/v1/OfferWithdrawn.ts';

export interface DeskEvent {
  'signed_in'?: (_casemesh_v1_SignedIn | null);
  'offer'?: (_casemesh_v1_Offer | null);
  /**
   * An offer was withdrawn (its reservation expired or another took it).
   */
  'withdrawn'?: (_casemesh_v1_OfferWithdrawn | null);
  'kind'?: "signed_in"|"offer"|"withdrawn";
}

export interface DeskEvent__Output {
  'signed_in'?: (_casemesh_v1_SignedIn__Output | null);
  'offer'?: (_casemesh_v1_Offer__Output | null);
  /**
   * An offer was withdrawn (its reservation expired or another took it).
   */
  'withdrawn'?: (_casemesh_v1_OfferWithdrawn__Output | null);
  'kind'?: "signed_in"|"offer"|"withdrawn";
}
