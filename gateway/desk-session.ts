import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { ConflictError, type WallClock } from "../core/index.ts";
import { type BlackboardClient, type DeskAgent, type DeskBoard, type DeskOffer, OfferStateError } from "../blackboard/index.ts";
import type { SignInRequest } from "./desk-requests.ts";
import type { DeskEvent } from "./generated/casemesh/v1/DeskEvent.ts";
import type { WithdrawalCause__Output } from "./generated/casemesh/v1/WithdrawalCause.ts";
import type { Timeline } from "./generated/casemesh/v1/Timeline.ts";
import { readTimeline } from "./timeline.ts";

/**
 * One agent's SignIn stream, from the gateway's side. The agent is present
 * on the desk board while the stream is open: its entry is claimed at sign-in
 * (refused while another sign-in of the agent is live), re-put on every
 * heartbeat with the number of cases the agent holds, and removed when the
 * stream ends. Offers made to the agent are forwarded as they appear, each
 * with the case's timeline; an offer the agent was shown that expires or is
 * taken back is withdrawn. The gateway keeps nothing after the stream ends:
 * signing in again anywhere replays the offers still open.
 */

/** Why an offer left the stream, as the `withdrawn` event says it. */
export const WITHDRAWN_EXPIRED = "the reservation expired";
/** The reason given when the desk peer deleted an offer it had made. */
export const WITHDRAWN_TAKEN_BACK = "the offer was taken back";

/** The longest delay a Node timer takes; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a SignIn stream needs. */
export interface DeskSessionOptions {
  board: DeskBoard;
  blackboard: BlackboardClient;
  request: SignInRequest;
  gatewayId: string;
  heartbeatMs: number;
  clock: WallClock;
  /** Aborted when the client cancels or the deadline passes: the stream ends. */
  signal: AbortSignal;
  /** Carries the agent id (a child logger). */
  log: Logger;
  /** Sends one event to the client, resolving once it is written (backpressure). */
  send: (event: DeskEvent) => Promise<void>;
}

/**
 * Runs a SignIn stream until its signal aborts. Throws a ConflictError
 * (before anything is sent) when the agent is signed in elsewhere, or later
 * when another sign-in has taken the agent over.
 */
export async function runDeskSession(o: DeskSessionOptions): Promise<void> {
  const { board, request, log } = o;
  const agentId = request.agent_id;
  const now = () => new Date(o.clock.now()).toISOString();
  let record: DeskAgent = {
    agentId,
    displayName: request.display_name.trim() === "" ? agentId : request.display_name,
    skills: request.skills,
    capacity: request.capacity,
    active: 0,
    gateway: o.gatewayId,
    session: randomUUID(),
    at: now(),
  };
  let revision = await board.signInAgent(record);
  log.info({ skills: record.skills, capacity: record.capacity }, "agent signed in");

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (o.signal.aborted) stop.abort();
  else o.signal.addEventListener("abort", onAbort, { once: true });
  let takenOver: ConflictError | undefined;
  /** Offers the agent holds (accepted, not finished): the entry's `active`. */
  const holding = new Set<string>();
  /** Offers shown on this stream and still open, with the timer that withdraws each at its expiry. */
  const shown = new Map<string, NodeJS.Timeout>();

  // Heartbeats are chained so that each put uses the revision of the last.
  let beats = Promise.resolve();
  const announce = () => {
    beats = beats.then(async () => {
      if (stop.signal.aborted) return;
      record = { ...record, active: holding.size, at: now() };
      try {
        revision = await board.putAgent(record, revision);
      } catch (err) {
        if (err instanceof ConflictError) {
          takenOver = err;
          stop.abort();
        } else {
          log.warn({ err: String(err) }, "desk heartbeat failed; retrying on the next one");
        }
      }
    });
    return beats;
  };
  const heartbeat = setInterval(() => void announce(), o.heartbeatMs);

  const withdraw = async (offerId: string, cause: WithdrawalCause__Output, reason: string) => {
    const timer = shown.get(offerId);
    if (timer === undefined) return;
    clearTimeout(timer);
    shown.delete(offerId);
    await o.send({ withdrawn: { offer_id: offerId, reason, cause } });
  };

  // At its expiry an offer still open is marked expired (compare-and-set: an
  // Accept that got in first wins); the watch then reports it withdrawn. If
  // the board cannot be written, the stream withdraws it anyway.
  const expireAt = (offerId: string, atMs: number): NodeJS.Timeout => {
    const left = atMs - o.clock.now();
    const timer = setTimeout(() => (left > MAX_TIMER_MS ? shown.set(offerId, expireAt(offerId, atMs)) : expire(offerId)), Math.min(left, MAX_TIMER_MS));
    timer.unref();
    return timer;
  };
  const expire = (offerId: string) => {
    board.transition(offerId, ["offered"], "expired", { note: WITHDRAWN_EXPIRED }).catch(async (err: unknown) => {
      if (err instanceof OfferStateError) return;
      log.warn({ offerId, err: String(err) }, "cannot mark an offer expired; withdrawing it from the stream");
      await withdraw(offerId, "WITHDRAWAL_CAUSE_EXPIRED", WITHDRAWN_EXPIRED).catch(() => undefined);
    });
  };

  const show = async (offer: DeskOffer) => {
    const left = Date.parse(offer.expiresAt) - o.clock.now();
    if (left <= 0 || shown.has(offer.offerId)) return;
    const timeline = await readTimeline(o.blackboard, offer.caseId, offer.caseSeq).then((r) => r.timeline, (err: unknown): Timeline | null => {
      log.warn({ offerId: offer.offerId, caseId: offer.caseId, err: String(err) }, "offering without the case timeline");
      return null;
    });
    if (stop.signal.aborted) return;
    shown.set(offer.offerId, expireAt(offer.offerId, Date.parse(offer.expiresAt)));
    await o.send({
      offer: {
        offer_id: offer.offerId,
        case_id: offer.caseId,
        need_id: offer.needId,
        capability: offer.capability,
        summary: offer.summary,
        expires_at: offer.expiresAt,
        timeline,
      },
    });
  };

  try {
    await o.send({ signed_in: { agent_id: agentId } });
    for await (const change of board.watchOffers(agentId, stop.signal)) {
      if (change.op === "malformed") {
        log.warn({ key: change.key, problem: change.problem }, "ignoring a malformed desk offer");
        continue;
      }
      const offerId = change.op === "put" ? change.offer.offerId : change.offerId;
      const held = holding.size;
      if (change.op === "put" && change.offer.state === "accepted") holding.add(offerId);
      else holding.delete(offerId);
      if (holding.size !== held) void announce();

      if (change.op === "gone") await withdraw(offerId, "WITHDRAWAL_CAUSE_TAKEN_BACK", WITHDRAWN_TAKEN_BACK);
      else if (change.offer.state === "offered") await show(change.offer);
      else if (change.offer.state === "expired") await withdraw(offerId, "WITHDRAWAL_CAUSE_EXPIRED", change.offer.note ?? WITHDRAWN_EXPIRED);
      else {
        // Accepted or declined by the agent (or settled): nothing to withdraw.
        clearTimeout(shown.get(offerId));
        shown.delete(offerId);
      }
    }
  } finally {
    clearInterval(heartbeat);
    for (const timer of shown.values()) clearTimeout(timer);
    stop.abort();
    o.signal.removeEventListener("abort", onAbort);
    await beats;
    if (takenOver === undefined) {
      await board.removeAgent(agentId, revision).catch((err: unknown) => log.warn({ err: String(err) }, "cannot remove the agent from the desk board; it ages out"));
    }
    log.info({ reason: takenOver === undefined ? "stream ended" : "signed in elsewhere" }, "agent signed out");
  }
  if (takenOver !== undefined) throw takenOver;
}
