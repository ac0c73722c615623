// Original file: proto/casemesh/v1/agent_desk.proto


export interface DeskReplyRequest {
  'agent_id'?: (string);
  'offer_id'?: (string);
  'text'?: (string);
}

export interface DeskReplyRequest__Output {
  'agent_id': (string);
  'offer_id': (string);
  'text': (string);
}
