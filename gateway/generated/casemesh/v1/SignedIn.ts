// Original file: proto/casemesh/v1/agent_desk.proto


export interface SignedIn {
  'agent_id'?: (string);
}

export interface SignedIn__Output {
  'agent_id': (string);
}
