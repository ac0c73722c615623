// Original file: proto/casemesh/v1/agent_desk.proto


export interface OfferWithdrawn {
  'offer_id'?: (string);
  'reason'?: (string);
}

export interface OfferWithdrawn__Output {
  'offer_id': (string);
  'reason': (string);
}
