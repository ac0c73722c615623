import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentDeskServiceClient as _casemesh_v1_AgentDeskServiceClient, AgentDeskServiceDefinition as _casemesh_v1_AgentDeskServiceDefinition } from './casemesh/v1/AgentDeskService.ts';
import type { Attachment as _casemesh_v1_Attachment, Attachment__Output as _casemesh_v1_Attachment__Output } from './casemesh/v1/Attachment.ts';
import type { Bid as _casemesh_v1_Bid, Bid__Output as _casemesh_v1_Bid__Output } from './casemesh/v1/Bid.ts';
import type { CaseEvent as _casemesh_v1_CaseEvent, CaseEvent__Output as _casemesh_v1_CaseEvent__Output } from './casemesh/v1/CaseEvent.ts';
import type { DecisionResponse as _casemesh_v1_DecisionResponse, DecisionResponse__Output as _casemesh_v1_DecisionResponse__Output } from './casemesh/v1/DecisionResponse.ts';
import type { DeskDone as _casemesh_v1_DeskDone, DeskDone__Output as _casemesh_v1_DeskDone__Output } from './casemesh/v1/DeskDone.ts';
import type { DeskEvent as _casemesh_v1_DeskEvent, DeskEvent__Output as _casemesh_v1_DeskEvent__Output } from './casemesh/v1/DeskEvent.ts';
import type { DeskReplyRequest as _casemesh_v1_DeskReplyRequest, DeskReplyRequest__Output as _casemesh_v1_DeskReplyRequest__Output } from './casemesh/v1/DeskReplyRequest.ts';
import type { DeskReplyResponse as _casemesh_v1_DeskReplyResponse, DeskReplyResponse__Output as _casemesh_v1_DeskReplyResponse__Output } from './casemesh/v1/DeskReplyResponse.ts';
import type { HandBackRequest as _casemesh_v1_HandBackRequest, HandBackRequest__Output as _casemesh_v1_HandBackRequest__Output } from './casemesh/v1/HandBackRequest.ts';
import type { Handoff as _casemesh_v1_Handoff, Handoff__Output as _casemesh_v1_Handoff__Output } from './casemesh/v1/Handoff.ts';
import type { Offer as _casemesh_v1_Offer, Offer__Output as _casemesh_v1_Offer__Output } from './casemesh/v1/Offer.ts';
import type { OfferDecision as _casemesh_v1_OfferDecision, OfferDecision__Output as _casemesh_v1_OfferDecision__Output } from './casemesh/v1/OfferDecision.ts';
import type { OfferWithdrawn as _casemesh_v1_OfferWithdrawn, OfferWithdrawn__Output as _casemesh_v1_OfferWithdrawn__Output } from './casemesh/v1/OfferWithdrawn.ts';
import type { ResolveRequest as _casemesh_v1_ResolveRequest, ResolveRequest__Output as _casemesh_v1_ResolveRequest__Output } from './casemesh/v1/ResolveRequest.ts';
import type { SignInRequest as _casemesh_v1_SignInRequest, SignInRequest__Output as _casemesh_v1_SignInRequest__Output } from './casemesh/v1/SignInRequest.ts';
import type { SignedIn as _casemesh_v1_SignedIn, SignedIn__Output as _casemesh_v1_SignedIn__Output } from './casemesh/v1/SignedIn.ts';
import type { Timeline as _casemesh_v1_Timeline, Timeline__Output as _casemesh_v1_Timeline__Output } from './casemesh/v1/Timeline.ts';
import type { TimelineFact as _casemesh_v1_TimelineFact, TimelineFact__Output as _casemesh_v1_TimelineFact__Output } from './casemesh/v1/TimelineFact.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  casemesh: {
    v1: {
      /**
       * What human agent desktops call. Every call carries
       * `authorization: Bearer <credential>` for a desk credential; any other
       * credential is PERMISSION_DENIED. The conventions (sizes, id formats, clocks,
       * the status codes every call may answer) are in common.proto.
       * 
       * Work reaches an agent as an Offer on the SignIn stream, reserved for that
       * agent until its expires_at (wall time). The agent accepts or declines it;
       * an accepted offer is worked on with Reply and ended with Resolve or
       * HandBack. Every call after SignIn names the agent and the offer; an offer
       * made to another agent is PERMISSION_DENIED, an offer that does not exist
       * (never made, deleted, or last changed more than 7 days ago) NOT_FOUND. Facts
       * written at the desk name `desk:<agent_id>` as their source peer and the
       * offer's capability as their source capability. Any gateway answers any call.
       */
      AgentDeskService: SubtypeConstructor<typeof grpc.Client, _casemesh_v1_AgentDeskServiceClient> & { service: _casemesh_v1_AgentDeskServiceDefinition }
      Attachment: MessageTypeDefinition<_casemesh_v1_Attachment, _casemesh_v1_Attachment__Output>
      Bid: MessageTypeDefinition<_casemesh_v1_Bid, _casemesh_v1_Bid__Output>
      CaseEvent: MessageTypeDefinition<_casemesh_v1_CaseEvent, _casemesh_v1_CaseEvent__Output>
      CaseEventKind: EnumTypeDefinition
      CaseStatus: EnumTypeDefinition
      Channel: EnumTypeDefinition
      DecisionResponse: MessageTypeDefinition<_casemesh_v1_DecisionResponse, _casemesh_v1_DecisionResponse__Output>
      DeskDone: MessageTypeDefinition<_casemesh_v1_DeskDone, _casemesh_v1_DeskDone__Output>
      DeskEvent: MessageTypeDefinition<_casemesh_v1_DeskEvent, _casemesh_v1_DeskEvent__Output>
      DeskReplyRequest: MessageTypeDefinition<_casemesh_v1_DeskReplyRequest, _casemesh_v1_DeskReplyRequest__Output>
      DeskReplyResponse: MessageTypeDefinition<_casemesh_v1_DeskReplyResponse, _casemesh_v1_DeskReplyResponse__Output>
      HandBackRequest: MessageTypeDefinition<_casemesh_v1_HandBackRequest, _casemesh_v1_HandBackRequest__Output>
      Handoff: MessageTypeDefinition<_casemesh_v1_Handoff, _casemesh_v1_Handoff__Output>
      Offer: MessageTypeDefinition<_casemesh_v1_Offer, _casemesh_v1_Offer__Output>
      OfferDecision: MessageTypeDefinition<_casemesh_v1_OfferDecision, _casemesh_v1_OfferDecision__Output>
      OfferWithdrawn: MessageTypeDefinition<_casemesh_v1_OfferWithdrawn, _casemesh_v1_OfferWithdrawn__Output>
      ResolveRequest: MessageTypeDefinition<_casemesh_v1_ResolveRequest, _casemesh_v1_ResolveRequest__Output>
      SignInRequest: MessageTypeDefinition<_casemesh_v1_SignInRequest, _casemesh_v1_SignInRequest__Output>
      SignedIn: MessageTypeDefinition<_casemesh_v1_SignedIn, _casemesh_v1_SignedIn__Output>
      Timeline: MessageTypeDefinition<_casemesh_v1_Timeline, _casemesh_v1_Timeline__Output>
      TimelineFact: MessageTypeDefinition<_casemesh_v1_TimelineFact, _casemesh_v1_TimelineFact__Output>
      WithdrawalCause: EnumTypeDefinition
    }
  }
}

