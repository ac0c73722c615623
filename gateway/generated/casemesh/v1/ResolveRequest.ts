// Original file: proto/casemesh/v1/agent_desk.proto


export interface ResolveRequest {
  'agent_id'?: (string);
  'offer_id'?: (string);
  'resolution'?: (string);
}

export interface ResolveRequest__Output {
  'agent_id': (string);
  'offer_id': (string);
  'resolution': (string);
}
