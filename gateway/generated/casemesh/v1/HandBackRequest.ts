// Original file: proto/casemesh/v1/agent_desk.proto


export interface HandBackRequest {
  'agent_id'?: (string);
  'offer_id'?: (string);
  'note'?: (string);
}

export interface HandBackRequest__Output {
  'agent_id': (string);
  'offer_id': (string);
  'note': (string);
}
