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
 * credential is bound to the channels it may speak for.
 */
export interface ChannelServiceClient extends grpc.Client {
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming twice writes one fact.
   */
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  ConfirmDelivery(argument: _casemesh_v1_ConfirmDeliveryRequest, callback: grpc.requestCallback<_casemesh_v1_ConfirmDeliveryResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming twice writes one fact.
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
   * case.resolved), with no source, need or handoff.
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
   * case.resolved), with no source, need or handoff.
   */
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  getTimeline(argument: _casemesh_v1_GetTimelineRequest, callback: grpc.requestCallback<_casemesh_v1_Timeline__Output>): grpc.ClientUnaryCall;
  
  /**
   * Joins a new address to the customer who owns a known one.
   */
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  LinkAddress(argument: _casemesh_v1_LinkAddressRequest, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Joins a new address to the customer who owns a known one.
   */
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  linkAddress(argument: _casemesh_v1_LinkAddressRequest, callback: grpc.requestCallback<_casemesh_v1_LinkAddressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replies drafted for one channel, across every case, after after_seq,
   * then live ones: what an email sender or an SMS gateway delivers. Resume
   * from the last seq received, on any gateway.
   */
  Outbox(argument: _casemesh_v1_OutboxRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  Outbox(argument: _casemesh_v1_OutboxRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  /**
   * Replies drafted for one channel, across every case, after after_seq,
   * then live ones: what an email sender or an SMS gateway delivers. Resume
   * from the last seq received, on any gateway.
   */
  outbox(argument: _casemesh_v1_OutboxRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  outbox(argument: _casemesh_v1_OutboxRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_OutboundReply__Output>;
  
  /**
   * Posts a customer message. Idempotent by client_message_id: a retry
   * returns the first answer and writes nothing new.
   */
  Send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _casemesh_v1_SendRequest, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Posts a customer message. Idempotent by client_message_id: a retry
   * returns the first answer and writes nothing new.
   */
  send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _casemesh_v1_SendRequest, callback: grpc.requestCallback<_casemesh_v1_SendResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A live session (chat, a voice transcript). The first request opens it;
   * later ones carry the customer's messages. Replies for the session's
   * channel flow back on it.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  /**
   * A live session (chat, a voice transcript). The first request opens it;
   * later ones carry the customer's messages. Replies for the session's
   * channel flow back on it.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_casemesh_v1_SessionRequest, _casemesh_v1_SessionEvent__Output>;
  
  /**
   * A case's customer-facing events after after_seq, then live ones. Resume
   * from the last seq received, on any gateway. A channel credential names
   * the customer address it acts for (see WatchCaseRequest).
   */
  WatchCase(argument: _casemesh_v1_WatchCaseRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  WatchCase(argument: _casemesh_v1_WatchCaseRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  /**
   * A case's customer-facing events after after_seq, then live ones. Resume
   * from the last seq received, on any gateway. A channel credential names
   * the customer address it acts for (see WatchCaseRequest).
   */
  watchCase(argument: _casemesh_v1_WatchCaseRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  watchCase(argument: _casemesh_v1_WatchCaseRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_casemesh_v1_CaseEvent__Output>;
  
}

/**
 * What channel backends call: chat, IVR and voice bots, email ingestion,
 * self-service. Every call carries `authorization: Bearer <credential>`; a
 * credential is bound to the channels it may speak for.
 */
export interface ChannelServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Records that a reply reached the customer (a reply.delivered fact).
   * Idempotent: confirming twice writes one fact.
   */
  ConfirmDelivery: grpc.handleUnaryCall<_casemesh_v1_ConfirmDeliveryRequest__Output, _casemesh_v1_ConfirmDeliveryResponse>;
  
  /**
   * A case's facts, with their source peer and capability, and its handoffs
   * with their bids. A channel credential names the customer address it acts
   * for and gets the customer's view: the conversation's facts only
   * (case.opened, message.received, reply.drafted, reply.delivered,
   * case.resolved), with no source, need or handoff.
   */
  GetTimeline: grpc.handleUnaryCall<_casemesh_v1_GetTimelineRequest__Output, _casemesh_v1_Timeline>;
  
  /**
   * Joins a new address to the customer who owns a known one.
   */
  LinkAddress: grpc.handleUnaryCall<_casemesh_v1_LinkAddressRequest__Output, _casemesh_v1_LinkAddressResponse>;
  
  /**
   * Replies drafted for one channel, across every case, after after_seq,
   * then live ones: what an email sender or an SMS gateway delivers. Resume
   * from the last seq received, on any gateway.
   */
  Outbox: grpc.handleServerStreamingCall<_casemesh_v1_OutboxRequest__Output, _casemesh_v1_OutboundReply>;
  
  /**
   * Posts a customer message. Idempotent by client_message_id: a retry
   * returns the first answer and writes nothing new.
   */
  Send: grpc.handleUnaryCall<_casemesh_v1_SendRequest__Output, _casemesh_v1_SendResponse>;
  
  /**
   * A live session (chat, a voice transcript). The first request opens it;
   * later ones carry the customer's messages. Replies for the session's
   * channel flow back on it.
   */
  Session: grpc.handleBidiStreamingCall<_casemesh_v1_SessionRequest__Output, _casemesh_v1_SessionEvent>;
  
  /**
   * A case's customer-facing events after after_seq, then live ones. Resume
   * from the last seq received, on any gateway. A channel credential names
   * the customer address it acts for (see WatchCaseRequest).
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
