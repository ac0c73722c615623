import type { JsMsg } from "@nats-io/jetstream";
import { type Bid, type FactOf, inspectFact } from "../blackboard/index.ts";
import { leaseExpired, type ClaimEntry, type ClaimRecord } from "./claims.ts";
import type { MeshContext } from "./mesh-context.ts";
import { Award, AwardReply, BidReply, awardSubject, cfpSubject, decodeJson, type CallForProposals, type Settled } from "./protocol.ts";
import { sortBids, utilityOf, weightsFor } from "./utility.ts";

/** How long an award waits for the winner to confirm. */
export const AWARD_CONFIRM_TIMEOUT_MS = 2_000;

/**
 * Runs the auction for one need and supervises it until it is settled. The
 * process that pulled the need from the durable consumer does this; it keeps
 * the message unacknowledged (telling JetStream it is working) until the claim
 * says done or failed, so if this process dies the need is redelivered to
 * another one, which picks up where the claim says things are.
 */
export class NeedAuction {
  readonly #ctx: MeshContext;
  #msg: JsMsg;
  readonly #need: FactOf<"need.opened">;
  readonly #stop: AbortSignal;
  /** Wakes the supervision loop early (a settled notice arrived). */
  #wake: (() => void) | undefined;
  /** The worker's word that its own compare-and-set settled the claim: no need to read it. */
  #settled: Settled | undefined;
  /** When JetStream last heard that this need is being worked on (delivery counts). */
  #progressAt = performance.now();
  #firstClaimMeasured = false;
  /**
   * Set once excluding the peers that let this need go left nobody to bid:
   * exclusion is a preference, and a need must be served by any capable peer,
   * even the one that dropped it (a crashed process back under the same id).
   */
  #excludeNobody = false;

  private constructor(ctx: MeshContext, msg: JsMsg, need: FactOf<"need.opened">, stop: AbortSignal) {
    this.#ctx = ctx;
    this.#msg = msg;
    this.#need = need;
    this.#stop = stop;
  }

  /** Parses the message; a malformed one is terminated (the blackboard dead-letters it). */
  static from(ctx: MeshContext, msg: JsMsg, stop: AbortSignal): NeedAuction | undefined {
    const checked = inspectFact(decodeJson(msg.data));
    if (!checked.ok || checked.fact.kind !== "need.opened") {
      ctx.log.warn({ seq: msg.seq }, "a need.opened message breaks its contract; not auctioned");
      msg.term();
      return undefined;
    }
    return new NeedAuction(ctx, msg, checked.fact as FactOf<"need.opened">, stop);
  }

  get needId(): string {
    return this.#need.data.needId;
  }

  /**
   * JetStream delivered this need again while this process still supervises
   * it (a stalled event loop missed a `working()`): carry on with the newer
   * delivery, so acknowledgements go to the one JetStream is waiting on.
   */
  adopt(msg: JsMsg): void {
    this.#msg = msg;
    this.#msg.working();
    this.#progressAt = performance.now();
  }

  /** Called when a worker says this need is settled; a notice with a state is taken as the claim's. */
  nudge(notice?: Settled): void {
    if (notice?.state !== undefined) this.#settled = notice;
    this.#wake?.();
  }

  /**
   * Tells JetStream the need is still being worked on, so it is redelivered
   * only if this process dies. At most about once a heartbeat: the ack wait is
   * the lease, at least two heartbeats, and a delivery starts it afresh.
   */
  #progress(): void {
    const now = performance.now();
    if (now - this.#progressAt < this.#ctx.heartbeatMs / 2) return;
    this.#progressAt = now;
    this.#msg.working();
  }

  /** Runs until the need is settled (acked) or this process stops (nak: another takes over). */
  async run(): Promise<void> {
    const { capability } = this.#need.data;
    const from = this.#need.source.capability;
    const exclude = new Set<string>();
    // On a first delivery there is no claim yet, unless another auctioneer raced
    // us; the award's compare-and-set finds that out, so skip the read.
    let fresh = !this.#msg.info.redelivered;
    try {
      for (;;) {
        if (this.#stop.aborted) return this.#handBack();
        const claim = fresh ? undefined : await this.#ctx.claims.read(this.needId);
        fresh = false;
        if (claim !== undefined && (claim.record.state === "done" || claim.record.state === "failed")) {
          this.#msg.ack();
          return;
        }
        if (claim !== undefined && claim.record.state === "held" && !leaseExpired(claim, this.#ctx.clock.now())) {
          if (!(await this.#supervise(claim))) continue;
          this.#msg.ack();
          return;
        }
        if (claim !== undefined) {
          // Expired or released: offer the need again, preferably to another peer.
          if (!this.#excludeNobody) exclude.add(claim.record.holder);
          const outcome = claim.record.state === "held" ? "expired" : "released";
          if (outcome === "expired") this.#ctx.metrics.leaseExpiries.inc({ capability });
          this.#ctx.metrics.handoffs.inc({ from_capability: from, to_capability: capability, outcome });
          this.#ctx.log.info({ needId: this.needId, holder: claim.record.holder, outcome }, "need offered again");
        }
        const awarded = await this.#auction(claim, exclude);
        if (awarded !== undefined && !(await this.#supervise(awarded))) continue;
        if (awarded !== undefined) {
          this.#msg.ack();
          return;
        }
      }
    } catch (err) {
      if (this.#stop.aborted) return this.#handBack();
      this.#ctx.log.warn({ needId: this.needId, err: String(err) }, "auction interrupted; the need will be redelivered");
      this.#msg.nak(this.#ctx.heartbeatMs);
    }
  }

  /**
   * One auction round. Returns the committed claim, or undefined when the
   * round ended without one (another auctioneer won the race, no bids yet, or
   * the need had to wait for facts or peers).
   */
  async #auction(previous: ClaimEntry | undefined, exclude: Set<string>): Promise<ClaimEntry | undefined> {
    const { needId, capability, requires, routing } = this.#need.data;
    const caseId = this.#need.caseId;
    // A join waits for its facts before anyone is asked to bid.
    const early = requires.length > 0 ? await this.#brief() : undefined;
    if (early !== undefined) {
      const missing = requires.filter((k) => !early.case.kinds.includes(k));
      if (missing.length > 0) {
        await this.#waitForFacts(missing);
        return undefined;
      }
    }
    const capable = this.#ctx.directory.capable(capability);
    if (capable.length === 0) {
      await this.#waitForPeers();
      return undefined;
    }

    const attempt = previous === undefined ? this.#need.data.attempt : previous.record.attempt + 1;
    const cfp: CallForProposals = { needId, caseId, capability, attempt, exclude: [...exclude], auctioneer: this.#ctx.hostId };
    // Bids do not depend on the case, so the case brief travels with them; a
    // need that carries its routing (and waits for no facts) needs no brief.
    // This process's own peers bid in-process; every other capable process answers once.
    const hosts = new Set(capable.map((p) => p.host));
    hosts.delete(this.#ctx.hostId);
    const expectedReplies = hosts.size;
    const [known, offers] = await Promise.all([
      early !== undefined
        ? { tier: early.case.tier, previousHandler: early.previousHandler }
        : (routing ?? this.#brief().then((b) => ({ tier: b.case.tier, previousHandler: b.previousHandler }))),
      this.#collectOffers(cfp, expectedReplies),
    ]);
    const weights = weightsFor(this.#ctx.weights, capability, known.tier);
    const bids: Bid[] = sortBids(
      offers.map(({ peer, version, parts }) => {
        const scored = { ...parts, continuity: known.previousHandler === peer ? 1 : 0 };
        return { peer, version, parts: scored, utility: utilityOf(scored, weights) };
      }),
      needId,
    );
    this.#ctx.metrics.bids.observe({ capability }, bids.length);
    const winner = bids[0];
    if (winner === undefined) {
      if (exclude.size > 0) {
        this.#ctx.log.info({ needId, excluded: [...exclude] }, "only excluded peers can take this need; offering it to them too");
        this.#excludeNobody = true;
        exclude.clear();
        return undefined;
      }
      await this.#pause();
      return undefined;
    }
    const record: ClaimRecord = {
      needId,
      caseId,
      capability,
      attempt,
      holder: winner.peer,
      auctioneer: this.#ctx.hostId,
      state: "held",
      leaseMs: this.#ctx.leaseMs,
    };
    const revision = await this.#ctx.claims.award(record, previous?.revision);
    if (revision === undefined) return undefined; // someone else awarded it first: re-read
    const latencyMs = Date.now() - this.#msg.info.timestampNanos / 1e6;
    if (!this.#firstClaimMeasured) {
      this.#firstClaimMeasured = true;
      this.#ctx.metrics.claimLatency.observe({ capability }, Math.max(0, latencyMs) / 1000);
    }
    this.#ctx.metrics.handoffs.inc({ from_capability: this.#need.source.capability, to_capability: capability, outcome: "awarded" });
    this.#ctx.onAward?.({ needId, capability, attempt, winner: winner.peer, bids: bids.length, latencyMs });

    await this.#ctx.writer.append(
      {
        caseId,
        kind: "need.claimed",
        needId,
        causedBy: this.#need.id,
        traceparent: this.#need.traceparent,
        source: { peer: this.#ctx.hostId, capability: "auction", version: "1" },
        data: { needId, capability, attempt, peer: winner.peer, leaseMs: this.#ctx.leaseMs, bids },
      },
      { msgId: `${needId}.claimed.${attempt}` },
    );

    const claim: ClaimEntry = { record, revision, writtenAt: this.#ctx.clock.now() };
    if (!(await this.#confirm(claim))) {
      exclude.add(winner.peer);
      const released = await this.#ctx.claims.write({ ...record, state: "released" }, revision);
      if (released === undefined) return undefined;
      return this.#auction({ record: { ...record, state: "released" }, revision: released, writtenAt: this.#ctx.clock.now() }, exclude);
    }
    return claim;
  }

  /**
   * The case as the need found it: tier, fact kinds, and who last served this
   * customer for the capability. The need itself changes none of these, so
   * the read asks for the sequence before it and never waits for the
   * blackboard to apply the need.
   */
  #brief(): Promise<Awaited<ReturnType<MeshContext["blackboard"]["getCaseBrief"]>>> {
    return this.#ctx.blackboard.getCaseBrief({ caseId: this.#need.caseId, capability: this.#need.data.capability, minSeq: this.#msg.seq - 1 });
  }

  /** Waits, counted as unserved, until some live peer serves the need's capability. */
  async #waitForPeers(): Promise<void> {
    const { capability } = this.#need.data;
    this.#ctx.metrics.unserved.inc({ capability });
    this.#ctx.log.info({ needId: this.needId, capability }, "no live peer serves this capability; the need waits");
    try {
      while (this.#ctx.directory.capable(capability).length === 0 && !this.#stop.aborted) {
        this.#progress();
        await this.#waitFor((wake) => {
          this.#ctx.directory.once("change", wake);
          return () => this.#ctx.directory.off("change", wake);
        });
      }
    } finally {
      this.#ctx.metrics.unserved.dec({ capability });
    }
  }

  /** Waits (without blocking other needs) until one of `kinds` is appended to the case, or a heartbeat passes. */
  async #waitForFacts(kinds: string[]): Promise<void> {
    const { capability } = this.#need.data;
    this.#ctx.metrics.waiting.inc({ capability });
    this.#progress();
    const sub = this.#ctx.nc.subscribe(`casemesh.fact.${this.#need.caseId}.>`);
    try {
      await this.#waitFor((wake) => {
        void (async () => {
          for await (const m of sub) {
            if (kinds.some((k) => m.subject.endsWith(`.${k}`))) return wake();
          }
        })();
        return () => undefined;
      });
    } finally {
      sub.unsubscribe();
      this.#ctx.metrics.waiting.dec({ capability });
    }
  }

  /**
   * Calls for proposals and returns every offer: this process's own at once,
   * the others' once each capable process has answered or the window closes.
   */
  async #collectOffers(cfp: CallForProposals, expectedReplies: number): Promise<BidReply["bids"]> {
    const offers: BidReply["bids"] = [];
    const hosts = new Set<string>([this.#ctx.hostId]);
    const peers = new Set<string>();
    const take = (reply: BidReply) => {
      for (const offer of reply.bids) {
        if (peers.has(offer.peer) || cfp.exclude.includes(offer.peer)) continue;
        peers.add(offer.peer);
        offers.push(offer);
      }
    };
    const pending =
      expectedReplies === 0
        ? undefined
        : this.#ctx.nc.requestMany(cfpSubject(cfp.capability), JSON.stringify(cfp), {
            strategy: "count",
            maxMessages: expectedReplies,
            maxWait: this.#ctx.bidWindowMs,
          });
    // Scored while the call is on its way (synchronous: `pending` is awaited below in this tick).
    const own = this.#ctx.local.bids(cfp);
    if (own !== undefined) take(own);
    try {
      for await (const reply of (await pending) ?? []) {
        const parsed = BidReply.safeParse(decodeJson(reply.data));
        if (!parsed.success || hosts.has(parsed.data.host)) continue;
        hosts.add(parsed.data.host);
        take(parsed.data);
      }
    } catch (err) {
      // No responders (the capable peers just left): no bids this round.
      this.#ctx.log.debug({ needId: cfp.needId, err: String(err) }, "call for proposals got no answer");
    }
    return offers;
  }

  /** Tells the winner; true when it takes the award. A winner in this process is told directly. */
  async #confirm(claim: ClaimEntry): Promise<boolean> {
    const award: Award = {
      needId: claim.record.needId,
      caseId: claim.record.caseId,
      capability: claim.record.capability,
      attempt: claim.record.attempt,
      revision: claim.revision,
      needSeq: this.#msg.seq,
      auctioneer: this.#ctx.hostId,
    };
    const local = this.#ctx.local.award(claim.record.holder, award, claim);
    if (local !== undefined) return local.accepted;
    try {
      const reply = await this.#ctx.nc.request(awardSubject(claim.record.holder), JSON.stringify(award), {
        timeout: AWARD_CONFIRM_TIMEOUT_MS,
      });
      const parsed = AwardReply.safeParse(decodeJson(reply.data));
      return parsed.success && parsed.data.accepted;
    } catch {
      return false;
    }
  }

  /**
   * Watches a held claim until it is settled (true) or must be offered again
   * (false: expired or released). Tells JetStream it is still working on every
   * heartbeat, so the need is redelivered only if this process dies.
   */
  async #supervise(claim: ClaimEntry): Promise<boolean> {
    for (;;) {
      // A notice that came while the award was still being recorded is not waited for again.
      if (this.#settled === undefined) {
        this.#progress();
        await this.#pause();
      }
      if (this.#stop.aborted) throw new Error("stopping");
      // The worker's word for the final state, else the claim's.
      const told = this.#settled?.state;
      this.#settled = undefined;
      const latest = told === undefined ? await this.#ctx.claims.read(this.needId) : undefined;
      const outcome = told ?? (latest?.record.state === "done" || latest?.record.state === "failed" ? latest.record.state : undefined);
      if (outcome !== undefined) {
        this.#ctx.metrics.handoffs.inc({ from_capability: this.#need.source.capability, to_capability: this.#need.data.capability, outcome });
        return true;
      }
      if (latest === undefined) return false;
      if (latest.record.state === "released" || leaseExpired(latest, this.#ctx.clock.now())) return false;
      if (latest.record.holder !== claim.record.holder) return false;
    }
  }

  /** Sleeps one heartbeat, or until nudged or stopped. */
  #pause(): Promise<void> {
    return this.#waitFor(() => () => undefined);
  }

  /** Sleeps at most one heartbeat; `arm` may wake it earlier and returns its own cleanup. */
  async #waitFor(arm: (wake: () => void) => () => void): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.#wake = wake;
    const disarm = arm(wake);
    const onStop = () => wake();
    this.#stop.addEventListener("abort", onStop, { once: true });
    const timer = setTimeout(wake, this.#ctx.heartbeatMs);
    try {
      await woken;
    } finally {
      clearTimeout(timer);
      disarm();
      this.#stop.removeEventListener("abort", onStop);
      this.#wake = undefined;
    }
  }

  /** This process is stopping: let JetStream give the need to another process now. */
  #handBack(): void {
    this.#msg.nak();
  }
}
