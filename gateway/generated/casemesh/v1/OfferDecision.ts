// Original file: proto/casemesh/v1/agent_desk.proto


export interface OfferDecision {
  'agent_id'?: (string);
  'offer_id'?: (string);
}

export interface OfferDecision__Output {
  'agent_id': (string);
  'offer_id': (string);
}
