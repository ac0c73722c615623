// Original file: proto/casemesh/v1/channel.proto


export interface GetTimelineRequest {
  'case_id'?: (string);
}

export interface GetTimelineRequest__Output {
  'case_id': (string);
}
