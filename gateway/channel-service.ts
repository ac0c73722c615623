import type { ServerDuplexStream } from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import { BadRequestError } from "../core/index.ts";
import { childTraceparent } from "../observability/index.ts";
import { watchCase } from "./case-events.ts";
import { readCaseFor, type CaseAccessDeps } from "./case-access.ts";
import { requireChannel } from "./credentials.ts";
import type { BlackboardClient, Channel, DeskBoard, FactWriter, SealedStore } from "../blackboard/index.ts";
import type { ChannelServiceHandlers } from "./generated/casemesh/v1/ChannelService.ts";
import type { SendResponse } from "./generated/casemesh/v1/SendResponse.ts";
import type { SessionEvent } from "./generated/casemesh/v1/SessionEvent.ts";
import type { Intake, InboundMessage } from "./intake.ts";
import { confirmDelivery, watchOutbox } from "./outbox.ts";
import {
  ConfirmDeliveryRequest,
  GetTimelineRequest,
  LinkAddressRequest,
  OutboxRequest,
  SendRequest,
  SessionStep,
  WatchCaseRequest,
  parseRequest,
} from "./requests.ts";
import type { CallScope, RpcGuard } from "./rpc.ts";
import { streamInbox } from "./stream-io.ts";
import { customerTimeline, readTimeline } from "./timeline.ts";

/** What the channel service works with. */
export interface ChannelServiceDeps {
  nc: NatsConnection;
  blackboard: BlackboardClient;
  writer: FactWriter;
  intake: Intake;
  /** Where sealed replies (one-time codes) are kept until their Outbox delivers them. */
  sealed: SealedStore;
  guard: RpcGuard;
  /** The desk board: a desk credential reads the cases its agent has open offers of. */
  deskBoard: () => Promise<DeskBoard>;
}

/** The ChannelService handlers: Send, Session, WatchCase, GetTimeline, LinkAddress, Outbox, ConfirmDelivery. */
export function channelService(deps: ChannelServiceDeps): ChannelServiceHandlers {
  const { guard, intake, blackboard, nc, writer } = deps;
  const access: CaseAccessDeps = { findCustomer: (channel, address) => intake.findCustomer(channel, address), deskBoard: deps.deskBoard };

  const accept = async (msg: InboundMessage, scope: CallScope): Promise<SendResponse> => {
    const accepted = await intake.accept(msg, scope.checkDeadline);
    return { case_id: accepted.caseId, customer_id: accepted.customerId, accepted: true, seq: String(accepted.seq), duplicate: accepted.duplicate };
  };

  return {
    Send: guard.unary("Send", async (raw, scope) => {
      const req = parseRequest(SendRequest, raw, "SendRequest");
      scope.setChannel(req.channel);
      requireChannel(scope.principal, req.channel);
      return accept(inbound(req.channel, req.address, req, scope.traceparent), scope);
    }),

    GetTimeline: guard.unary("GetTimeline", async (raw, scope) => {
      const req = parseRequest(GetTimelineRequest, raw, "GetTimelineRequest");
      if (req.channel !== undefined) scope.setChannel(req.channel);
      const { view, value } = await readCaseFor(scope.principal, req, "GetTimelineRequest", access, {
        read: () => readTimeline(blackboard, req.case_id, intake.seenSeq),
        customerOf: (read) => read.state.customerId,
      });
      return view === "full" ? value.timeline : customerTimeline(value.timeline);
    }),

    LinkAddress: guard.unary("LinkAddress", async (raw, scope) => {
      const req = parseRequest(LinkAddressRequest, raw, "LinkAddressRequest");
      scope.setChannel(req.channel);
      requireChannel(scope.principal, req.channel);
      const linked = await intake.link({ channel: req.known_channel, address: req.known_address }, req.channel, req.address, req.verified, scope.checkDeadline);
      return { customer_id: linked.customerId, linked: linked.linked };
    }),

    WatchCase: guard.serverStream("WatchCase", async (raw, scope, call) => {
      const req = parseRequest(WatchCaseRequest, raw, "WatchCaseRequest");
      if (req.channel !== undefined) scope.setChannel(req.channel);
      // Every reader gets the same events: a CaseEvent carries the customer's
      // conversation only (no source peer, need or bid), see case-events.ts.
      await readCaseFor(scope.principal, req, "WatchCaseRequest", access, {
        read: () => blackboard.getCaseBrief({ caseId: req.case_id, minSeq: intake.seenSeq }),
        customerOf: (brief) => brief.case.customerId,
      });
      const out = guard.writer("WatchCase", call);
      await watchCase({ nc, blackboard, caseId: req.case_id, afterSeq: req.after_seq, signal: scope.signal, onEvent: (event) => out(event) });
    }),

    Session: guard.bidi("Session", (call, scope) => runSession(deps, call, scope, accept)),

    Outbox: guard.serverStream("Outbox", async (raw, scope, call) => {
      const req = parseRequest(OutboxRequest, raw, "OutboxRequest");
      scope.setChannel(req.channel);
      requireChannel(scope.principal, req.channel);
      const out = guard.writer("Outbox", call);
      await watchOutbox({ nc, blackboard, sealed: deps.sealed, channel: req.channel, afterSeq: req.after_seq, signal: scope.signal, onReply: (reply) => out(reply) });
    }),

    ConfirmDelivery: guard.unary("ConfirmDelivery", async (raw, scope) => {
      const req = parseRequest(ConfirmDeliveryRequest, raw, "ConfirmDeliveryRequest");
      scope.setChannel(req.channel);
      requireChannel(scope.principal, req.channel);
      const confirmed = await confirmDelivery(
        { blackboard, writer, minSeq: intake.seenSeq },
        { caseId: req.case_id, factId: req.fact_id, channel: req.channel, address: req.address },
        scope.checkDeadline,
      );
      return { seq: String(confirmed.seq), duplicate: confirmed.duplicate };
    }),
  };
}

/**
 * A live session: the first request opens it for one address on one
 * channel; each later request is a customer message, answered with
 * `accepted`. Replies drafted for the session's channel, and the case's
 * resolution, are streamed back as they are written. The session ends when
 * the client closes its side.
 */
async function runSession(
  deps: ChannelServiceDeps,
  call: ServerDuplexStream<unknown, SessionEvent>,
  scope: CallScope,
  accept: (msg: InboundMessage, scope: CallScope) => Promise<SendResponse>,
): Promise<void> {
  const out = deps.guard.writer("Session", call);
  let session: { channel: Channel; address: string; caseId: string | undefined; afterSeq: number } | undefined;
  // Ends the session: the call ended, the gateway is stopping, or its watch failed.
  const ending = new AbortController();
  const onEnd = () => ending.abort(scope.signal.reason);
  scope.signal.addEventListener("abort", onEnd, { once: true });
  let watchFailure: unknown;
  let watch: AbortController | undefined;
  const follow = (caseId: string, afterSeq: number) => {
    watch?.abort();
    const controller = new AbortController();
    watch = controller;
    const channel = session?.channel;
    void watchCase({
      nc: deps.nc,
      blackboard: deps.blackboard,
      caseId,
      afterSeq,
      signal: controller.signal,
      onEvent: async (event, fact) => {
        const forSession = (fact.kind === "reply.drafted" && fact.data.channel === channel) || fact.kind === "case.resolved";
        if (!forSession) return;
        await out({ event });
      },
    }).catch((err: unknown) => {
      // Replies could be missed from here on: end the session, so the client
      // reopens it with the last sequence it received.
      if (controller.signal.aborted) return;
      watchFailure = err;
      ending.abort(err);
    });
  };
  try {
    for await (const raw of streamInbox(call, ending.signal)) {
      const step = parseRequest(SessionStep, raw, "SessionRequest");
      if (step.kind === "open") {
        if (session !== undefined) throw new BadRequestError("open: the session is already open");
        const { channel, address, after_seq } = step.open;
        scope.setChannel(channel);
        requireChannel(scope.principal, channel);
        const customer = await deps.intake.findCustomer(channel, address);
        session = { channel, address, caseId: customer.openCaseId, afterSeq: after_seq };
        await out({ opened: { customer_id: customer.customerId, case_id: customer.openCaseId ?? "" } });
        if (customer.openCaseId !== undefined) follow(customer.openCaseId, after_seq);
        continue;
      }
      if (session === undefined) throw new BadRequestError("message: send open first");
      // A busy gateway slows the session down rather than ending it.
      const permit = await deps.guard.acquireWhenFree(ending.signal);
      try {
        const accepted = await accept(inbound(session.channel, session.address, step.message, childTraceparent(scope.traceparent)), scope);
        await out({ accepted });
        const caseId = accepted.case_id;
        if (caseId !== undefined && caseId !== session.caseId) {
          session.caseId = caseId;
          follow(caseId, 0);
        }
      } finally {
        permit.release();
      }
    }
    if (watchFailure !== undefined) throw watchFailure;
  } finally {
    watch?.abort();
    scope.signal.removeEventListener("abort", onEnd);
  }
}

function inbound(
  channel: Channel,
  address: string,
  m: { text: string; client_message_id: string; attachments: { name: string; content_type: string; size_bytes: number }[] },
  traceparent: string,
): InboundMessage {
  return {
    channel,
    address,
    traceparent,
    text: m.text,
    clientMessageId: m.client_message_id,
    attachments: m.attachments.map((a) => ({ name: a.name, contentType: a.content_type, sizeBytes: a.size_bytes })),
  };
}
