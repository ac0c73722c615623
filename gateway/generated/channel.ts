import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from './casemesh/v1/Attachment.ts';
import type { Bid as _casemesh_v1_Bid, Bid__Output as _casemesh_v1_Bid__Output } from './casemesh/v1/Bid.ts';
import type { CaseEvent as _casemesh_v1_CaseEvent, CaseEvent__Output as _casemesh_v1_CaseEvent__Output } from './casemesh/v1/CaseEvent.ts';
import type { ChannelServiceClient as _casemesh_v1_ChannelServiceClient, ChannelServiceDefinition as _casemesh_v1_ChannelServiceDefinition } from './casemesh/v1/ChannelService.ts';
import type { ConfirmDeliveryRequest as _casemesh_v1_ConfirmDeliveryRequest, ConfirmDeliveryRequest__Output as _casemesh_v1_ConfirmDeliveryRequest__Output } from './casemesh/v1/ConfirmDeliveryRequest.ts';
import type { ConfirmDeliveryResponse as _casemesh_v1_ConfirmDeliveryResponse, ConfirmDeliveryResponse__Output as _casemesh_v1_ConfirmDeliveryResponse__Output } from './casemesh/v1/ConfirmDeliveryResponse.ts';
import type { GetTimelineRequest as _casemesh_v1_GetTimelineRequest, GetTimelineRequest__Output as _casemesh_v1_GetTimelineRequest__Output } from './casemesh/v1/GetTimelineRequest.ts';
import type { Handoff as _casemesh_v1_Handoff, Handoff__Output as _casemesh_v1_Handoff__Output } from './casemesh/v1/Handoff.ts';
import type { LinkAddressRequest as _casemesh_v1_LinkAddressRequest, LinkAddressRequest__Output as _casemesh_v1_LinkAddressRequest__Output } from './casemesh/v1/LinkAddressRequest.ts';
import type { LinkAddressResponse as _casemesh_v1_LinkAddressResponse, LinkAddressResponse__Output as _casemesh_v1_LinkAddressResponse__Output } from './casemesh/v1/LinkAddressResponse.ts';
import type { OutboundReply as _casemesh_v1_OutboundReply, OutboundReply__Output as _casemesh_v1_OutboundReply__Output } from './casemesh/v1/OutboundReply.ts';
import type { OutboxRequest as _casemesh_v1_OutboxRequest, OutboxRequest__Output as _casemesh_v1_OutboxRequest__Output } from './casemesh/v1/OutboxRequest.ts';
import type { SendRequest as _casemesh_v1_SendRequest, SendRequest__Output as _casemesh_v1_SendRequest__Output } from './casemesh/v1/SendRequest.ts';
import type { SendResponse as _casemesh_v1_SendResponse, SendResponse__Output as _casemesh_v1_SendResponse__Output } from './casemesh/v1/SendResponse.ts';
import type { SessionEvent as _casemesh_v1_SessionEvent, SessionEvent__Output as _casemesh_v1_SessionEvent__Output } from './casemesh/v1/SessionEvent.ts';
import type { SessionMessage as _casemesh_v1_SessionMessage, SessionMessage__Output as _casemesh_v1_SessionMessage__Output } from './casemesh/v1/SessionMessage.ts';
import type { SessionOpen as _casemesh_v1_SessionOpen, SessionOpen__Output as _casemesh_v1_SessionOpen__Output } from './casemesh/v1/SessionOpen.ts';
import type { SessionOpened as _casemesh_v1_SessionOpened, SessionOpened__Output as _casemesh_v1_SessionOpened__Output } from './casemesh/v1/SessionOpened.ts';
import type { SessionRequest as _casemesh_v1_SessionRequest, SessionRequest__Output as _casemesh_v1_SessionRequest__Output } from './casemesh/v1/SessionRequest.ts';
import type { Timeline as _casemesh_v1_Timeline, Timeline__Output as _casemesh_v1_Timeline__Output } from './casemesh/v1/Timeline.ts';
import type { TimelineFact as _casemesh_v1_TimelineFact, TimelineFact__Output as _casemesh_v1_TimelineFact__Output } from './casemesh/v1/TimelineFact.ts';
import type { WatchCaseRequest as _casemesh_v1_WatchCaseRequest, WatchCaseRequest__Output as _casemesh_v1_WatchCaseRequest__Output } from './casemesh/v1/WatchCaseRequest.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  casemesh: {
    v1: {
      Attachment: MessageTypeDefinition<_casemesh_v1_Attachment, _casemesh_v1_Attachment__Output>
      Bid: MessageTypeDefinition<_casemesh_v1_Bid, _casemesh_v1_Bid__Output>
      CaseEvent: MessageTypeDefinition<_casemesh_v1_CaseEvent, _casemesh_v1_CaseEvent__Output>
      CaseEventKind: EnumTypeDefinition
      CaseStatus: EnumTypeDefinition
      Channel: EnumTypeDefinition
      /**
       * What channel backends call: chat, IVR and voice bots, email ingestion,
       * self-service. Every call carries `authorization: Bearer <credential>`; a
       * credential is bound to the channels it may speak for. The conventions
       * (sizes, id formats, clocks, the status codes every call may answer) are in
       * common.proto.
       */
      ChannelService: SubtypeConstructor<typeof grpc.Client, _casemesh_v1_ChannelServiceClient> & { service: _casemesh_v1_ChannelServiceDefinition }
      ConfirmDeliveryRequest: MessageTypeDefinition<_casemesh_v1_ConfirmDeliveryRequest, _casemesh_v1_ConfirmDeliveryRequest__Output>
      ConfirmDeliveryResponse: MessageTypeDefinition<_casemesh_v1_ConfirmDeliveryResponse, _casemesh_v1_ConfirmDeliveryResponse__Output>
      GetTimelineRequest: MessageTypeDefinition<_casemesh_v1_GetTimelineRequest, _casemesh_v1_GetTimelineRequest__Output>
      Handoff: MessageTypeDefinition<_casemesh_v1_Handoff, _casemesh_v1_Handoff__Output>
      LinkAddressRequest: MessageTypeDefinition<_casemesh_v1_LinkAddressRequest, _casemesh_v1_LinkAddressRequest__Output>
      LinkAddressResponse: MessageTypeDefinition<_casemesh_v1_LinkAddressResponse, _casemesh_v1_LinkAddressResponse__Output>
      OutboundReply: MessageTypeDefinition<_casemesh_v1_OutboundReply, _casemesh_v1_OutboundReply__Output>
      OutboxRequest: MessageTypeDefinition<_casemesh_v1_OutboxRequest, _casemesh_v1_OutboxRequest__Output>
      SendRequest: MessageTypeDefinition<_casemesh_v1_SendRequest, _casemesh_v1_SendRequest__Output>
      SendResponse: MessageTypeDefinition<_casemesh_v1_SendResponse, _casemesh_v1_SendResponse__Output>
      SessionEvent: MessageTypeDefinition<_casemesh_v1_SessionEvent, _casemesh_v1_SessionEvent__Output>
      SessionMessage: MessageTypeDefinition<_casemesh_v1_SessionMessage, _casemesh_v1_SessionMessage__Output>
      SessionOpen: MessageTypeDefinition<_casemesh_v1_SessionOpen, _casemesh_v1_SessionOpen__Output>
      SessionOpened: MessageTypeDefinition<_casemesh_v1_SessionOpened, _casemesh_v1_SessionOpened__Output>
      SessionRequest: MessageTypeDefinition<_casemesh_v1_SessionRequest, _casemesh_v1_SessionRequest__Output>
      Timeline: MessageTypeDefinition<_casemesh_v1_Timeline, _casemesh_v1_Timeline__Output>
      TimelineFact: MessageTypeDefinition<_casemesh_v1_TimelineFact, _casemesh_v1_TimelineFact__Output>
      WatchCaseRequest: MessageTypeDefinition<_casemesh_v1_WatchCaseRequest, _casemesh_v1_WatchCaseRequest__Output>
    }
  }
}

