// Original file: proto/casemesh/v1/agent_desk.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DecisionResponse as _casemesh_v1_DecisionResponse, DecisionResponse__Output as _casemesh_v1_DecisionResponse__Output } from '../../casemesh/v1/DecisionResponse.ts';
import type { DeskDone as _casemesh_v1_DeskDone, DeskDone__Output as _casemesh_v1_DeskDone__Output } from '../../casemesh/v1/DeskDone.ts';
import type { DeskEvent as _casemesh_v1_DeskEvent, DeskEvent__Output as _casemesh_v1_DeskEvent__Output } from '../../casemesh/v1/DeskEvent.ts';
import type { DeskReplyRequest as _casemesh_v1_DeskReplyRequest, DeskReplyRequest__Output as _casemesh_v1_DeskReplyRequest__Output } from '../../casemesh/v1/DeskReplyRequest.ts';
import type { DeskReplyResponse as _casemesh_v1_DeskReplyResponse, DeskReplyResponse__Output as _casemesh_v1_DeskReplyResponse__Output } from '../../casemesh/v1/DeskReplyResponse.ts';
import type { HandBackRequest as _casemesh_v1_HandBackRequest, HandBackRequest__Output as _casemesh_v1_HandBackRequest__Output } from '../../casemesh/v1/HandBackRequest.ts';
import type { OfferDecision as _casemesh_v1_OfferDecision, OfferDecision__Output as _casemesh_v1_OfferDecision__Output } from '../../casemesh/v1/OfferDecision.ts';
import type { ResolveRequest as _casemesh_v1_ResolveRequest, ResolveRequest__Output as _casemesh_v1_ResolveRequest__Output } from '../../casemesh/v1/ResolveRequest.ts';
import type { SignInRequest as _casemesh_v1_SignInRequest, SignInRequest__Output as _casemesh_v1_SignInRequest__Output } from '../../casemesh/v1/SignInRequest.ts';

/**
 * What human agent desktops call. Every call carries
 * `authorization: Bearer <credential>` for a desk credential.
 */
export interface AgentDeskServiceClient extends grpc.Client {
  /**
   * Takes an offered case, within the offer's reservation time.
   */
  Accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Takes an offered case, within the offer's reservation time.
   */
  accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Turns an offer down; the work goes back to auction at once.
   */
  Decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Turns an offer down; the work goes back to auction at once.
   */
  decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   */
  HandBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   */
  handBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replies to the customer on the channel they are on.
   */
  Reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replies to the customer on the channel they are on.
   */
  reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resolves the case the agent holds.
   */
  Resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  /**
   * Resolves the case the agent holds.
   */
  resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it.
   */
  SignIn(argument: _casemesh_v1_SignInRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  SignIn(argument: _casemesh_v1_SignInRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it.
   */
  signIn(argument: _casemesh_v1_SignInRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  signIn(argument: _casemesh_v1_SignInRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  
}

/**
 * What human agent desktops call. Every call carries
 * `authorization: Bearer <credential>` for a desk credential.
 */
export interface AgentDeskServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Takes an offered case, within the offer's reservation time.
   */
  Accept: grpc.handleUnaryCall<_casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse>;
  
  /**
   * Turns an offer down; the work goes back to auction at once.
   */
  Decline: grpc.handleUnaryCall<_casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse>;
  
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   */
  HandBack: grpc.handleUnaryCall<_casemesh_v1_HandBackRequest__Output, _casemesh_v1_DeskDone>;
  
  /**
   * Replies to the customer on the channel they are on.
   */
  Reply: grpc.handleUnaryCall<_casemesh_v1_DeskReplyRequest__Output, _casemesh_v1_DeskReplyResponse>;
  
  /**
   * Resolves the case the agent holds.
   */
  Resolve: grpc.handleUnaryCall<_casemesh_v1_ResolveRequest__Output, _casemesh_v1_DeskDone>;
  
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it.
   */
  SignIn: grpc.handleServerStreamingCall<_casemesh_v1_SignInRequest__Output, _casemesh_v1_DeskEvent>;
  
}

export interface AgentDeskServiceDefinition extends grpc.ServiceDefinition {
  Accept: MethodDefinition<_casemesh_v1_OfferDecision, _casemesh_v1_DecisionResponse, _casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse__Output>
  Decline: MethodDefinition<_casemesh_v1_OfferDecision, _casemesh_v1_DecisionResponse, _casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse__Output>
  HandBack: MethodDefinition<_casemesh_v1_HandBackRequest, _casemesh_v1_DeskDone, _casemesh_v1_HandBackRequest__Output, _casemesh_v1_DeskDone__Output>
  Reply: MethodDefinition<_casemesh_v1_DeskReplyRequest, _casemesh_v1_DeskReplyResponse, _casemesh_v1_DeskReplyRequest__Output, _casemesh_v1_DeskReplyResponse__Output>
  Resolve: MethodDefinition<_casemesh_v1_ResolveRequest, _casemesh_v1_DeskDone, _casemesh_v1_ResolveRequest__Output, _casemesh_v1_DeskDone__Output>
  SignIn: MethodDefinition<_casemesh_v1_SignInRequest, _casemesh_v1_DeskEvent, _casemesh_v1_SignInRequest__Output, _casemesh_v1_DeskEvent__Output>
}
