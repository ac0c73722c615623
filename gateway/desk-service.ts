import { createHash } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { ConflictError, NotFoundError, PermissionDeniedError, systemClock, type WallClock } from "../core/index.ts";
import { requireDesk } from "./credentials.ts";
import { type BlackboardClient, Channel, DEFAULT_DESK_HEARTBEAT_MS, type DeskBoard, deskBoardOpener, type DeskOffer, type FactSource, type FactWriter, type OfferState, OfferStateError } from "../blackboard/index.ts";
import { DeskReplyRequest, HandBackRequest, OfferDecision, ResolveRequest, SignInRequest } from "./desk-requests.ts";
import { WITHDRAWN_EXPIRED, runDeskSession } from "./desk-session.ts";
import type { AgentDeskServiceHandlers } from "./generated/casemesh/v1/AgentDeskService.ts";
import type { DecisionResponse } from "./generated/casemesh/v1/DecisionResponse.ts";
import { parseRequest, protoChannel } from "./requests.ts";
import type { CallScope, RpcGuard } from "./rpc.ts";

/**
 * The AgentDeskService: human agents sign in, take or refuse the work the
 * human-desk peer offers them, reply to the customer, and resolve or hand
 * back the case. The gateway keeps no desk state: presence and offers live
 * on the desk board (JetStream KV, see desk-board.ts), so any gateway can
 * answer any call, and changes to an offer are compare-and-set.
 *
 * Every call needs a desk credential. Nothing is written before the
 * request has been parsed, the caller authorised and the offer checked.
 * Facts are written under the agent's own source, `desk:<agent_id>`, with
 * msg ids derived from the offer so that a retried call writes nothing new.
 */

/** What the agent desk service works with. */
export interface AgentDeskDeps {
  nc: NatsConnection;
  blackboard: BlackboardClient;
  writer: FactWriter;
  guard: RpcGuard;
  log: Logger;
  /** Named in the presence entries of the agents signed in here. */
  gatewayId: string;
  /** Reads the time for reservations and the board's stamps (wall time, as offers' `expiresAt`). @default systemClock */
  clock?: WallClock;
  /** How often a signed-in agent's presence is re-put. @default DEFAULT_DESK_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** The desk board, shared with the gateway's other services. @default one opened on the first desk call with `heartbeatMs` and `clock` */
  board?: () => Promise<DeskBoard>;
}

/** The AgentDeskService handlers: SignIn, Accept, Decline, Reply, Resolve, HandBack. */
export function agentDeskService(deps: AgentDeskDeps): AgentDeskServiceHandlers {
  const { guard, blackboard, writer } = deps;
  const clock = deps.clock ?? systemClock;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_DESK_HEARTBEAT_MS;
  const log = deps.log.child({ service: "desk" });

  // The buckets are opened on the first desk call (a gateway that serves no
  // desk never creates them), and again after a failure.
  const board = deps.board ?? deskBoardOpener(deps.nc, { heartbeatMs, clock });

  /** The offer, if it exists and was made to `agentId`. */
  const ownOffer = async (agentId: string, offerId: string): Promise<DeskOffer> => {
    const found = await (await board()).getOffer(offerId);
    if (found === undefined) throw new NotFoundError(`offer_id: there is no offer ${offerId}`);
    if (found.value.agentId !== agentId) throw new PermissionDeniedError(`offer_id: offer ${offerId} was made to another agent`);
    return found.value;
  };

  /**
   * Accept or decline. The same decision again (a retry, or the desktop's
   * two gateways racing) answers ok=true and changes nothing; the other
   * decision, or one after the reservation, answers ok=false.
   */
  const decide = async (raw: unknown, scope: CallScope, to: Extract<OfferState, "accepted" | "declined">): Promise<DecisionResponse> => {
    requireDesk(scope.principal);
    const req = parseRequest(OfferDecision, raw, "OfferDecision");
    const offer = await ownOffer(req.agent_id, req.offer_id);
    const answer = (ok: boolean) => ({ ok, case_id: offer.caseId });
    if (offer.state === to) return answer(true);
    if (offer.state !== "offered") return answer(false);
    scope.checkDeadline();
    const b = await board();
    if (clock.now() >= Date.parse(offer.expiresAt)) {
      await b.transition(offer.offerId, ["offered"], "expired", { note: WITHDRAWN_EXPIRED }).catch(unlessState);
      return answer(false);
    }
    try {
      await b.transition(offer.offerId, ["offered"], to);
    } catch (err) {
      if (!(err instanceof OfferStateError)) throw err;
      // Someone decided first: the same decision is this one, retried.
      return answer((await b.getOffer(offer.offerId))?.value.state === to);
    }
    scope.log.info({ agentId: req.agent_id, offerId: offer.offerId, caseId: offer.caseId, state: to }, "offer decided");
    return answer(true);
  };

  return {
    SignIn: guard.serverStream("SignIn", async (raw, scope, call) => {
      requireDesk(scope.principal);
      const request = parseRequest(SignInRequest, raw, "SignInRequest");
      const send = guard.writer("SignIn", call);
      await runDeskSession({
        board: await board(),
        blackboard,
        request,
        gatewayId: deps.gatewayId,
        heartbeatMs,
        clock,
        log: log.child({ agentId: request.agent_id }),
        signal: scope.signal,
        send,
      });
    }),

    Accept: guard.unary("Accept", (raw, scope) => decide(raw, scope, "accepted")),

    Decline: guard.unary("Decline", (raw, scope) => decide(raw, scope, "declined")),

    Reply: guard.unary("Reply", async (raw, scope) => {
      requireDesk(scope.principal);
      const req = parseRequest(DeskReplyRequest, raw, "DeskReplyRequest");
      const offer = requireHeld(await ownOffer(req.agent_id, req.offer_id));
      const { case: state, facts } = await blackboard.getCase({ caseId: offer.caseId, minSeq: offer.caseSeq });
      const channel = state.currentChannel;
      if (channel === null) throw new ConflictError(`case ${offer.caseId} has no channel to reply on yet`);
      scope.setChannel(channel);
      const source = deskSource(req.agent_id, offer.capability);
      const mine = facts.filter((f) => f.fact.kind === "reply.drafted" && f.fact.needId === offer.needId && f.fact.source.peer === source.peer);
      // A retry of the agent's last reply answers with it instead of sending it twice.
      const last = mine[mine.length - 1];
      const lastData = last?.fact.data as { text?: unknown; channel?: unknown } | undefined;
      if (last !== undefined && lastData?.text === req.text) {
        return { seq: String(last.seq), channel: protoChannel(Channel.safeParse(lastData.channel).data ?? channel) };
      }
      const replyTo = facts.filter((f) => f.fact.kind === "message.received").pop()?.fact.id ?? null;
      scope.checkDeadline();
      // Retries racing each other count the same earlier replies and hash the
      // same text: one msg id, and JetStream keeps one fact.
      const appended = await writer.append(
        { caseId: offer.caseId, kind: "reply.drafted", needId: offer.needId, source, traceparent: scope.traceparent, data: { channel, text: req.text, replyTo } },
        { msgId: `desk.${offer.offerId}.reply.${mine.length}.${textDigest(req.text)}` },
      );
      return { seq: String(appended.seq), channel: protoChannel(channel) };
    }),

    Resolve: guard.unary("Resolve", async (raw, scope) => {
      requireDesk(scope.principal);
      const req = parseRequest(ResolveRequest, raw, "ResolveRequest");
      const offer = await ownOffer(req.agent_id, req.offer_id);
      if (offer.state === "resolved" && offer.seq !== undefined) return { seq: String(offer.seq) };
      requireHeld(offer, ["accepted", "resolved"]);
      // The fact first, then the offer: if the gateway dies in between, the
      // case is resolved and a retry finishes the offer without a second
      // fact, found on the case (or, while it is not projected yet, refused
      // by JetStream as a duplicate msg id).
      const source = deskSource(req.agent_id, offer.capability);
      const { facts } = await blackboard.getCase({ caseId: offer.caseId, minSeq: offer.caseSeq });
      const earlier = facts.find((f) => f.fact.kind === "case.resolved" && f.fact.needId === offer.needId && f.fact.source.peer === source.peer);
      scope.checkDeadline();
      const seq =
        earlier?.seq ??
        (
          await writer.append(
            { caseId: offer.caseId, kind: "case.resolved", needId: offer.needId, source, traceparent: scope.traceparent, data: { resolution: req.resolution, by: req.agent_id } },
            { msgId: `desk.${offer.offerId}.resolved` },
          )
        ).seq;
      await (await board()).transition(offer.offerId, ["accepted", "resolved"], "resolved", { seq });
      scope.log.info({ agentId: req.agent_id, offerId: offer.offerId, caseId: offer.caseId, seq }, "case resolved at the desk");
      return { seq: String(seq) };
    }),

    HandBack: guard.unary("HandBack", async (raw, scope) => {
      requireDesk(scope.principal);
      const req = parseRequest(HandBackRequest, raw, "HandBackRequest");
      const offer = await ownOffer(req.agent_id, req.offer_id);
      if (offer.state === "handed_back") return { seq: "0" };
      requireHeld(offer);
      scope.checkDeadline();
      await (await board()).transition(offer.offerId, ["accepted"], "handed_back", { note: req.note }).catch((err: unknown) => {
        if (err instanceof OfferStateError && err.state === "handed_back") return;
        throw err;
      });
      scope.log.info({ agentId: req.agent_id, offerId: offer.offerId, caseId: offer.caseId }, "case handed back");
      return { seq: "0" };
    }),
  };
}

/** The source of the facts an agent writes at the desk. */
function deskSource(agentId: string, capability: string): FactSource {
  return { peer: `desk:${agentId}`, capability, version: "1" };
}

/** Refuses to act on an offer the agent does not hold. */
function requireHeld(offer: DeskOffer, states: readonly OfferState[] = ["accepted"]): DeskOffer {
  if (!states.includes(offer.state)) {
    throw new ConflictError(`offer_id: offer ${offer.offerId} is ${offer.state}; only an accepted offer can be worked on`);
  }
  return offer;
}

/** Ignores a state change that lost to another one. */
function unlessState(err: unknown): void {
  if (!(err instanceof OfferStateError)) throw err;
}

function textDigest(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}
