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
export interface AgentDeskServiceClient extends grpc.Client {
  /**
   * Takes an offered case, within the offer's reservation. ok=false when the
   * offer is no longer offered (declined, expired, resolved, handed back) or
   * its expires_at has passed by the gateway's wall clock (it is then
   * expired and withdrawn). Accepting an offer already accepted answers
   * ok=true and changes nothing, so a retry after DEADLINE_EXCEEDED is safe.
   */
  Accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Accept(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Takes an offered case, within the offer's reservation. ok=false when the
   * offer is no longer offered (declined, expired, resolved, handed back) or
   * its expires_at has passed by the gateway's wall clock (it is then
   * expired and withdrawn). Accepting an offer already accepted answers
   * ok=true and changes nothing, so a retry after DEADLINE_EXCEEDED is safe.
   */
  accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  accept(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Turns an offer down; the work goes back to auction at once. ok=false and
   * ok=true as for Accept (declining twice answers ok=true; a retry is safe).
   */
  Decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  Decline(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Turns an offer down; the work goes back to auction at once. ok=false and
   * ok=true as for Accept (declining twice answers ok=true; a retry is safe).
   */
  decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  decline(argument: _casemesh_v1_OfferDecision, callback: grpc.requestCallback<_casemesh_v1_DecisionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   * The gateway writes no fact; the desk peer opens the work again, with the
   * note. Answers
   * FAILED_PRECONDITION unless the offer is accepted. Handing back again
   * answers the same and changes nothing, so a retry is safe.
   */
  HandBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  HandBack(argument: _casemesh_v1_HandBackRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   * The gateway writes no fact; the desk peer opens the work again, with the
   * note. Answers
   * FAILED_PRECONDITION unless the offer is accepted. Handing back again
   * answers the same and changes nothing, so a retry is safe.
   */
  handBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  handBack(argument: _casemesh_v1_HandBackRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replies to the customer on the channel they are on now (the case's
   * current channel), as a reply.drafted fact: live sessions of that channel
   * and its Outbox deliver it. Answers FAILED_PRECONDITION unless the offer
   * is accepted, or when the case has no channel yet. The same text as the
   * agent's last reply on this offer answers with that reply and writes
   * nothing, so a retry is safe (to say the same thing twice, word it
   * differently).
   */
  Reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  Reply(argument: _casemesh_v1_DeskReplyRequest, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replies to the customer on the channel they are on now (the case's
   * current channel), as a reply.drafted fact: live sessions of that channel
   * and its Outbox deliver it. Answers FAILED_PRECONDITION unless the offer
   * is accepted, or when the case has no channel yet. The same text as the
   * agent's last reply on this offer answers with that reply and writes
   * nothing, so a retry is safe (to say the same thing twice, word it
   * differently).
   */
  reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  reply(argument: _casemesh_v1_DeskReplyRequest, callback: grpc.requestCallback<_casemesh_v1_DeskReplyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resolves the case the agent holds (a case.resolved fact, by the agent).
   * Answers FAILED_PRECONDITION unless the offer is accepted. Resolving again
   * answers with the same seq and writes nothing, so a retry is safe.
   */
  Resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _casemesh_v1_ResolveRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  /**
   * Resolves the case the agent holds (a case.resolved fact, by the agent).
   * Answers FAILED_PRECONDITION unless the offer is accepted. Resolving again
   * answers with the same seq and writes nothing, so a retry is safe.
   */
  resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  resolve(argument: _casemesh_v1_ResolveRequest, callback: grpc.requestCallback<_casemesh_v1_DeskDone__Output>): grpc.ClientUnaryCall;
  
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it. The first event is
   * `signed_in`; then every offer of this agent still offered and not expired
   * (made before or after sign-in), each once; then `withdrawn` for an offer
   * shown here that expires or is taken back. Offers the agent already
   * accepted are not sent again: the desktop keeps their offer_id.
   * 
   * Answers FAILED_PRECONDITION, before any event, while another sign-in of
   * the agent is live (retry once that desktop has signed out, or has been
   * gone for three heartbeats, 3 s by default), and ends with
   * FAILED_PRECONDITION when a later sign-in of the agent elsewhere took
   * over. Ends with UNAVAILABLE when the gateway stops: sign in again on any
   * gateway, which replays the offers still open. Ending the stream (cancel)
   * signs the agent out.
   */
  SignIn(argument: _casemesh_v1_SignInRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  SignIn(argument: _casemesh_v1_SignInRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it. The first event is
   * `signed_in`; then every offer of this agent still offered and not expired
   * (made before or after sign-in), each once; then `withdrawn` for an offer
   * shown here that expires or is taken back. Offers the agent already
   * accepted are not sent again: the desktop keeps their offer_id.
   * 
   * Answers FAILED_PRECONDITION, before any event, while another sign-in of
   * the agent is live (retry once that desktop has signed out, or has been
   * gone for three heartbeats, 3 s by default), and ends with
   * FAILED_PRECONDITION when a later sign-in of the agent elsewhere took
   * over. Ends with UNAVAILABLE when the gateway stops: sign in again on any
   * gateway, which replays the offers still open. Ending the stream (cancel)
   * signs the agent out.
   */
  signIn(argument: _casemesh_v1_SignInRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  signIn(argument: _casemesh_v1_SignInRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_DeskEvent__Output>;
  
}

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
export interface AgentDeskServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Takes an offered case, within the offer's reservation. ok=false when the
   * offer is no longer offered (declined, expired, resolved, handed back) or
   * its expires_at has passed by the gateway's wall clock (it is then
   * expired and withdrawn). Accepting an offer already accepted answers
   * ok=true and changes nothing, so a retry after DEADLINE_EXCEEDED is safe.
   */
  Accept: grpc.handleUnaryCall<_casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse>;
  
  /**
   * Turns an offer down; the work goes back to auction at once. ok=false and
   * ok=true as for Accept (declining twice answers ok=true; a retry is safe).
   */
  Decline: grpc.handleUnaryCall<_casemesh_v1_OfferDecision__Output, _casemesh_v1_DecisionResponse>;
  
  /**
   * Gives the case back to the mesh, with a note for whoever takes it next.
   * The gateway writes no fact; the desk peer opens the work again, with the
   * note. Answers
   * FAILED_PRECONDITION unless the offer is accepted. Handing back again
   * answers the same and changes nothing, so a retry is safe.
   */
  HandBack: grpc.handleUnaryCall<_casemesh_v1_HandBackRequest__Output, _casemesh_v1_DeskDone>;
  
  /**
   * Replies to the customer on the channel they are on now (the case's
   * current channel), as a reply.drafted fact: live sessions of that channel
   * and its Outbox deliver it. Answers FAILED_PRECONDITION unless the offer
   * is accepted, or when the case has no channel yet. The same text as the
   * agent's last reply on this offer answers with that reply and writes
   * nothing, so a retry is safe (to say the same thing twice, word it
   * differently).
   */
  Reply: grpc.handleUnaryCall<_casemesh_v1_DeskReplyRequest__Output, _casemesh_v1_DeskReplyResponse>;
  
  /**
   * Resolves the case the agent holds (a case.resolved fact, by the agent).
   * Answers FAILED_PRECONDITION unless the offer is accepted. Resolving again
   * answers with the same seq and writes nothing, so a retry is safe.
   */
  Resolve: grpc.handleUnaryCall<_casemesh_v1_ResolveRequest__Output, _casemesh_v1_DeskDone>;
  
  /**
   * Signs an agent in with skills and capacity. The agent is present while
   * this stream is open; offered work arrives on it. The first event is
   * `signed_in`; then every offer of this agent still offered and not expired
   * (made before or after sign-in), each once; then `withdrawn` for an offer
   * shown here that expires or is taken back. Offers the agent already
   * accepted are not sent again: the desktop keeps their offer_id.
   * 
   * Answers FAILED_PRECONDITION, before any event, while another sign-in of
   * the agent is live (retry once that desktop has signed out, or has been
   * gone for three heartbeats, 3 s by default), and ends with
   * FAILED_PRECONDITION when a later sign-in of the agent elsewhere took
   * over. Ends with UNAVAILABLE when the gateway stops: sign in again on any
   * gateway, which replays the offers still open. Ending the stream (cancel)
   * signs the agent out.
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
