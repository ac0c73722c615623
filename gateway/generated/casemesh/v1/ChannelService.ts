// Original file: proto/casemesh/v1/channel.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CaseEvent as _casemesh_v1_CaseEvent, CaseEvent__Output as _casemesh_v1_CaseEvent__Output } from '../../casemesh/v1/CaseEvent.ts';
import type { ConfirmDeliveryRequest as _casemesh_v1_ConfirmDeliveryRequest, ConfirmDeliveryRequest__Output as _casemesh_v1_ConfirmDeliveryRequest__Output } from '../../casemesh/v1/ConfirmDeliveryRequest.ts';
import type { ConfirmDeliveryResponse as _casemesh_v1_ConfirmDeliveryResponse, ConfirmDeliveryResponse__Output as _casemesh_v1_ConfirmDeliveryResponse__Output } from '../../casemesh/v1/ConfirmDeliveryResponse.ts';
import type { GetTimelineRequest as _casemesh_v1_GetTimelineRequest, GetTimelineRequest__Output as _casemesh_v1_GetTimelineRequest__Output } from '../../casemesh/v1/GetTimelineRequest.ts';
import type { LinkAddressRequest as _casemesh_v1_LinkAddressRequest, LinkAddressRequest__Output as _casemesh_v1_LinkAddressRequest__Output } from '../../casemesh/v1/LinkAddressRequest.ts';
import type { LinkAddressResponse as _casemesh_v1_LinkAddressResponse, LinkAddressResponse__Output as _casemesh_v1_LinkAddressResponse__Output } from '../../casemesh/v1/LinkAddressResponse.ts';
import type { OutboundReply as _casemesh_v1_OutboundReply, OutboundReply__Output as _casemesh_v1_OutboundReply__Output } from '../../casemesh/v1/OutboundReply.ts';
import type { OutboxRequest as _casemesh_v1_OutboxRequest, OutboxRequest__Output as _casemesh_v1_OutboxRequest__Output } from '../../casemesh/v1/OutboxRequest.ts';
import type { SendRequest as _casemesh_v1_SendRequest, SendRequest__Output as _casemesh_v1_SendRequest__Output } from '../../casemesh/v1/SendRequest.ts';
import type { SendResponse as _casemesh_v1_SendResponse, SendResponse__Output as _casemesh_v1_SendResponse__Output } from '../../casemesh/v1/SendResponse.ts';
import type { SessionEvent as _casemesh_v1_SessionEvent, SessionEvent__Output as _casemesh_v1_SessionEvent__Output } from '../../casemesh/v1/SessionEvent.ts';
import type { SessionRequest as _casemesh_v1_SessionRequest, SessionRequest__Output as _casemesh_v1_SessionRequest__Output } from '../../casemesh/v1/SessionRequest.ts';
import type { Timeline as _casemesh_v1_Timeline, Timeline__Output as _casemesh_v1_Timeline__Output } from '../../casemesh/v1/Timeline.ts';
import type { WatchCaseRequest as _casemesh_v1_WatchCaseRequest, WatchCaseRequest__Output as _casemesh_v1_WatchCaseRequest__Output } from '../../casemesh/v1/WatchCaseRequest.ts';

/**
 * What channel backends call: chat, IVR and voice bots, email ingestion,
 * self-service. Every call carries `authorization: Bearer <credential>`; a
 * credential is bound to the channels it may speak for. The conventions
 * (sizes, id formats, clocks, the status codes every call may answer) are in
 * common.proto.
 */
export interface ChannelServiceClient extends grpc.Client {
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming a reply again, however much later, answers with
   * the first confirmation's seq and duplicate=true and writes nothing, so a
   * retry after DEADLINE_EXCEEDED or UNAVAILABLE is safe.
   * 
   * Answers NOT_FOUND when the case has no reply.drafted fact with fact_id for
   * `channel` (or there is no such case), and PERMISSION_DENIED for a channel
   * the credential does not speak for.
   */
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming a reply again, however much later, answers with
   * the first confirmation's seq and duplicate=true and writes nothing, so a
   * retry after DEADLINE_EXCEEDED or UNAVAILABLE is safe.
   * 
   * Answers NOT_FOUND when the case has no reply.drafted fact with fact_id for
   * `channel` (or there is no such case), and PERMISSION_DENIED for a channel
   * the credential does not speak for.
   */
  confirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  confirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  confirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  confirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A case's facts, with their source peer and capability, and its handoffs
   * with their bids. A channel credential names the customer address it acts
   * for and gets the customer's view: the conversation's facts only
   * (case.opened, message.received, reply.drafted, reply.delivered,
   * case.resolved), each with only the data fields a customer may see, and
   * with no source, need or handoff. An operator or desk credential gets the
   * full timeline.
   * 
   * Read at least as late as everything this gateway has written or read, so
   * a timeline read after a Send on the same gateway holds that message (it
   * may answer UNAVAILABLE if the blackboard does not catch up in time).
   * Answers NOT_FOUND and PERMISSION_DENIED as WatchCase does. A retry is safe.
   */
  GetTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  GetTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  GetTimeline(argument: _casemesh_v1_GetTimelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  GetTimeline(argument: _casemesh_v1_GetTimelineRequest, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  /**
   * A case's facts, with their source peer and capability, and its handoffs
   * with their bids. A channel credential names the customer address it acts
   * for and gets the customer's view: the conversation's facts only
   * (case.opened, message.received, reply.drafted, reply.delivered,
   * case.resolved), each with only the data fields a customer may see, and
   * with no source, need or handoff. An operator or desk credential gets the
   * full timeline.
   * 
   * Read at least as late as everything this gateway has written or read, so
   * a timeline read after a Send on the same gateway holds that message (it
   * may answer UNAVAILABLE if the blackboard does not catch up in time).
   * Answers NOT_FOUND and PERMISSION_DENIED as WatchCase does. A retry is safe.
   */
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  
  /**
   * Joins a new address to the customer who owns a known one, recorded as a
   * customer.linked fact on the customer's open case (or, with none open,
   * their latest). The credential must speak for `channel`, the new
   * address's channel (PERMISSION_DENIED otherwise); known_channel may be any.
   * 
   * Answers NOT_FOUND when no customer has the known address, or the customer
   * has no case yet; FAILED_PRECONDITION when the new address belongs to
   * another customer or is a registered contact of another customer's
   * account. A retry is safe: it writes no second link, and answers
   * linked=false once the first is recorded.
   */
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Joins a new address to the customer who owns a known one, recorded as a
   * customer.linked fact on the customer's open case (or, with none open,
   * their latest). The credential must speak for `channel`, the new
   * address's channel (PERMISSION_DENIED otherwise); known_channel may be any.
   * 
   * Answers NOT_FOUND when no customer has the known address, or the customer
   * has no case yet; FAILED_PRECONDITION when the new address belongs to
   * another customer or is a registered contact of another customer's
   * account. A retry is safe: it writes no second link, and answers
   * linked=false once the first is recorded.
   */
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replies drafted for one channel, across every case and customer, after
   * after_seq, then live ones: what an email sender or an SMS gateway
   * delivers. A credential that speaks for the channel reads every reply for
   * it. The stream does not end by itself; resume on any gateway after the last
   * seq received. A sealed reply (a one-time code) comes with its real text
   * and the one address it must go to; once its sealed entry has expired it
   * is not sent at all. Answers PERMISSION_DENIED for a channel the
   * credential does not speak for. A retry is safe.
   */
  Outbox(argument: _casemesh_v1_OutboxRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  Outbox(argument: _casemesh_v1_OutboxRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  /**
   * Replies drafted for one channel, across every case and customer, after
   * after_seq, then live ones: what an email sender or an SMS gateway
   * delivers. A credential that speaks for the channel reads every reply for
   * it. The stream does not end by itself; resume on any gateway after the last
   * seq received. A sealed reply (a one-time code) comes with its real text
   * and the one address it must go to; once its sealed entry has expired it
   * is not sent at all. Answers PERMISSION_DENIED for a channel the
   * credential does not speak for. A retry is safe.
   */
  outbox(argument: _casemesh_v1_OutboxRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  outbox(argument: _casemesh_v1_OutboxRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  
  /**
   * Posts a customer message. It lands on the customer's open case whatever
   * channel it came on; an address never seen before makes a new customer,
   * and a customer with no open case gets a new one.
   * 
   * Idempotent by client_message_id: a message is known by its channel and
   * client_message_id, and a retry (however much later) answers with the
   * first one's case_id and seq, duplicate=true, and writes nothing. A retry
   * after DEADLINE_EXCEEDED, UNAVAILABLE or RESOURCE_EXHAUSTED is safe with
   * the same client_message_id, and a new id makes a second message.
   * 
   * Also answers PERMISSION_DENIED when the credential does not speak for
   * `channel`.
   */
  Send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Posts a customer message. It lands on the customer's open case whatever
   * channel it came on; an address never seen before makes a new customer,
   * and a customer with no open case gets a new one.
   * 
   * Idempotent by client_message_id: a message is known by its channel and
   * client_message_id, and a retry (however much later) answers with the
   * first one's case_id and seq, duplicate=true, and writes nothing. A retry
   * after DEADLINE_EXCEEDED, UNAVAILABLE or RESOURCE_EXHAUSTED is safe with
   * the same client_message_id, and a new id makes a second message.
   * 
   * Also answers PERMISSION_DENIED when the credential does not speak for
   * `channel`.
   */
  send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A live session (chat, a voice transcript). The first request opens it for
   * one address; each later one is a customer message, answered in order
   * with `accepted` (idempotent by client_message_id, as Send). Replies
   * drafted for the session's channel on the customer's case, and the case's
   * resolution, flow back as they are written. When a message lands on a new
   * case (the last one was resolved), the session follows the new case from
   * its start.
   * 
   * The session ends when the client closes its side. Any error ends the
   * whole session with its status: INVALID_ARGUMENT for a message before
   * `open`, a second `open` or a bad field; PERMISSION_DENIED for a channel
   * the credential does not speak for; UNAVAILABLE when the gateway stops or
   * the session's watch of the case fails. Reopen it, on any
   * gateway, with after_seq the last seq received, and send again the
   * messages that were not `accepted` with their client_message_id. A busy
   * gateway slows a session's messages down instead of refusing them; opening
   * one past the stream limit is RESOURCE_EXHAUSTED.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  /**
   * A live session (chat, a voice transcript). The first request opens it for
   * one address; each later one is a customer message, answered in order
   * with `accepted` (idempotent by client_message_id, as Send). Replies
   * drafted for the session's channel on the customer's case, and the case's
   * resolution, flow back as they are written. When a message lands on a new
   * case (the last one was resolved), the session follows the new case from
   * its start.
   * 
   * The session ends when the client closes its side. Any error ends the
   * whole session with its status: INVALID_ARGUMENT for a message before
   * `open`, a second `open` or a bad field; PERMISSION_DENIED for a channel
   * the credential does not speak for; UNAVAILABLE when the gateway stops or
   * the session's watch of the case fails. Reopen it, on any
   * gateway, with after_seq the last seq received, and send again the
   * messages that were not `accepted` with their client_message_id. A busy
   * gateway slows a session's messages down instead of refusing them; opening
   * one past the stream limit is RESOURCE_EXHAUSTED.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  
  /**
   * A case's customer-facing events (see CaseEvent) after after_seq, then
   * live ones. The stream does not end when the case is resolved (a
   * scheduled follow-up may still reply on it): the client ends it by
   * cancelling. If it ends otherwise (UNAVAILABLE when the gateway stops),
   * resume on any gateway after the last seq received; events are never
   * repeated or skipped across a resume. No gateway keeps watch state.
   * 
   * Who may read which case is set out on WatchCaseRequest. Also answers
   * NOT_FOUND for a case that does not exist or is not the named address's
   * customer's (the same answer for both), and PERMISSION_DENIED for a channel
   * the credential does not speak for or an agent with no open offer of the
   * case. A retry is safe (it writes nothing).
   */
  WatchCase(argument: _casemesh_v1_WatchCaseRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  WatchCase(argument: _casemesh_v1_WatchCaseRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  /**
   * A case's customer-facing events (see CaseEvent) after after_seq, then
   * live ones. The stream does not end when the case is resolved (a
   * scheduled follow-up may still reply on it): the client ends it by
   * cancelling. If it ends otherwise (UNAVAILABLE when the gateway stops),
   * resume on any gateway after the last seq received; events are never
   * repeated or skipped across a resume. No gateway keeps watch state.
   * 
   * Who may read which case is set out on WatchCaseRequest. Also answers
   * NOT_FOUND for a case that does not exist or is not the named address's
   * customer's (the same answer for both), and PERMISSION_DENIED for a channel
   * the credential does not speak for or an agent with no open offer of the
   * case. A retry is safe (it writes nothing).
   */
  watchCase(argument: _casemesh_v1_WatchCaseRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  watchCase(argument: _casemesh_v1_WatchCaseRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  
}

/**
 * What channel backends call: chat, IVR and voice bots, email ingestion,
 * self-service. Every call carries `authorization: Bearer <credential>`; a
 * credential is bound to the channels it may speak for. The conventions
 * (sizes, id formats, clocks, the status codes every call may answer) are in
 * common.proto.
 */
export interface ChannelServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming a reply again, however much later, answers with
   * the first confirmation's seq and duplicate=true and writes nothing, so a
   * retry after DEADLINE_EXCEEDED or UNAVAILABLE is safe.
   * 
   * Answers NOT_FOUND when the case has no reply.drafted fact with fact_id for
   * `channel` (or there is no such case), and PERMISSION_DENIED for a channel
   * the credential does not speak for.
   */
  ConfirmDelivery: grpc.handleUnaryCall<_casemesh_v1_ConfirmDeliveryRequest__Output, _casemesh_v1_ConfirmDeliveryResponse>;
  
  /**
   * A case's facts, with their source peer and capability, and its handoffs
   * with their bids. A channel credential names the customer address it acts
   * for and gets the customer's view: the conversation's facts only
   * (case.opened, message.received, reply.drafted, reply.delivered,
   * case.resolved), each with only the data fields a customer may see, and
   * with no source, need or handoff. An operator or desk credential gets the
   * full timeline.
   * 
   * Read at least as late as everything this gateway has written or read, so
   * a timeline read after a Send on the same gateway holds that message (it
   * may answer UNAVAILABLE if the blackboard does not catch up in time).
   * Answers NOT_FOUND and PERMISSION_DENIED as WatchCase does. A retry is safe.
   */
  GetTimeline: grpc.handleUnaryCall<_casemesh_v1_GetTimelineRequest__Output, _casemesh_v1_Timeline>;
  
  /**
   * Joins a new address to the customer who owns a known one, recorded as a
   * customer.linked fact on the customer's open case (or, with none open,
   * their latest). The credential must speak for `channel`, the new
   * address's channel (PERMISSION_DENIED otherwise); known_channel may be any.
   * 
   * Answers NOT_FOUND when no customer has the known address, or the customer
   * has no case yet; FAILED_PRECONDITION when the new address belongs to
   * another customer or is a registered contact of another customer's
   * account. A retry is safe: it writes no second link, and answers
   * linked=false once the first is recorded.
   */
  LinkAddress: grpc.handleUnaryCall<_casemesh_v1_LinkAddressRequest__Output, _casemesh_v1_LinkAddressResponse>;
  
  /**
   * Replies drafted for one channel, across every case and customer, after
   * after_seq, then live ones: what an email sender or an SMS gateway
   * delivers. A credential that speaks for the channel reads every reply for
   * it. The stream does not end by itself; resume on any gateway after the last
   * seq received. A sealed reply (a one-time code) comes with its real text
   * and the one address it must go to; once its sealed entry has expired it
   * is not sent at all. Answers PERMISSION_DENIED for a channel the
   * credential does not speak for. A retry is safe.
   */
  Outbox: grpc.handleServerStreamingCall<_casemesh_v1_OutboxRequest__Output, _casemesh_v1_OutboundReply>;
  
  /**
   * Posts a customer message. It lands on the customer's open case whatever
   * channel it came on; an address never seen before makes a new customer,
   * and a customer with no open case gets a new one.
   * 
   * Idempotent by client_message_id: a message is known by its channel and
   * client_message_id, and a retry (however much later) answers with the
   * first one's case_id and seq, duplicate=true, and writes nothing. A retry
   * after DEADLINE_EXCEEDED, UNAVAILABLE or RESOURCE_EXHAUSTED is safe with
   * the same client_message_id, and a new id makes a second message.
   * 
   * Also answers PERMISSION_DENIED when the credential does not speak for
   * `channel`.
   */
  Send: grpc.handleUnaryCall<_casemesh_v1_SendRequest__Output, _casemesh_v1_SendResponse>;
  
  /**
   * A live session (chat, a voice transcript). The first request opens it for
   * one address; each later one is a customer message, answered in order
   * with `accepted` (idempotent by client_message_id, as Send). Replies
   * drafted for the session's channel on the customer's case, and the case's
   * resolution, flow back as they are written. When a message lands on a new
   * case (the last one was resolved), the session follows the new case from
   * its start.
   * 
   * The session ends when the client closes its side. Any error ends the
   * whole session with its status: INVALID_ARGUMENT for a message before
   * `open`, a second `open` or a bad field; PERMISSION_DENIED for a channel
   * the credential does not speak for; UNAVAILABLE when the gateway stops or
   * the session's watch of the case fails. Reopen it, on any
   * gateway, with after_seq the last seq received, and send again the
   * messages that were not `accepted` with their client_message_id. A busy
   * gateway slows a session's messages down instead of refusing them; opening
   * one past the stream limit is RESOURCE_EXHAUSTED.
   */
  Session: grpc.handleBidiStreamingCall<_casemesh_v1_SessionRequest__Output, _casemesh_v1_SessionEvent>;
  
  /**
   * A case's customer-facing events (see CaseEvent) after after_seq, then
   * live ones. The stream does not end when the case is resolved (a
   * scheduled follow-up may still reply on it): the client ends it by
   * cancelling. If it ends otherwise (UNAVAILABLE when the gateway stops),
   * resume on any gateway after the last seq received; events are never
   * repeated or skipped across a resume. No gateway keeps watch state.
   * 
   * Who may read which case is set out on WatchCaseRequest. Also answers
   * NOT_FOUND for a case that does not exist or is not the named address's
   * customer's (the same answer for both), and PERMISSION_DENIED for a channel
   * the credential does not speak for or an agent with no open offer of the
   * case. A retry is safe (it writes nothing).
   */
  WatchCase: grpc.handleServerStreamingCall<_casemesh_v1_WatchCaseRequest__Output, _casemesh_v1_CaseEvent>;
  
}

export interface ChannelServiceDefinition extends grpc.ServiceDefinition {
  ConfirmDelivery: MethodDefinition<_casemesh_v1_ConfirmDeliveryRequest, _casemesh_v1_ConfirmDeliveryResponse, _casemesh_v1_ConfirmDeliveryRequest__Output, _casemesh_v1_ConfirmDeliveryResponse__Output>
  GetTimeline: MethodDefinition<_casemesh_v1_GetTimelineRequest, _casemesh_v1_Timeline, _casemesh_v1_GetTimelineRequest__Output, _casemesh_v1_Timeline__Output>
  LinkAddress: MethodDefinition<_casemesh_v1_LinkAddressRequest, _casemesh_v1_LinkAddressResponse, _casemesh_v1_LinkAddressRequest__Output, _casemesh_v1_LinkAddressResponse__Output>
  Outbox: MethodDefinition<_casemesh_v1_OutboxRequest, _casemesh_v1_OutboundReply, _casemesh_v1_OutboxRequest__Output, _casemesh_v1_OutboundReply__Output>
  Send: MethodDefinition<_casemesh_v1_SendRequest, _casemesh_v1_SendResponse, _casemesh_v1_SendRequest__Output, _casemesh_v1_SendResponse__Output>
  Session: MethodDefinition<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent, _casemesh_v1_SessionRequest__Output, _casemesh_v1_SessionEvent__Output>
  WatchCase: MethodDefinition<_casemesh_v1_WatchCaseRequest, _casemesh_v1_CaseEvent, _casemesh_v1_WatchCaseRequest__Output, _casemesh_v1_CaseEvent__Output>
}
