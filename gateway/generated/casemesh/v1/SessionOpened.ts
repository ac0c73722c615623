// Original file: proto/casemesh/v1/channel.proto


export interface SessionOpened {
  'customer_id'?: (string);
  'case_id'?: (string);
}

export interface SessionOpened__Output {
  'customer_id': (string);
  'case_id': (string);
}
