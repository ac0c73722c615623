import type { Subscription } from "@nats-io/transport-node";
import type { PeerDefinition } from "./define-peer.ts";
import type { MeshContext } from "./mesh-context.ts";
import { CallForProposals, cfpSubject, decodeJson, type BidReply, type PeerBidParts } from "./protocol.ts";

/** What a bidder needs to know about one hosted peer right now. */
export interface HostedPeerState {
  peer: PeerDefinition;
  load: number;
  capacity: number;
}

/**
 * Answers calls for proposals for every peer this process hosts: one
 * subscription per capability, one reply per call, carrying a bid or a decline
 * for each hosted peer serving the capability. Bids come from the peer's own
 * state and the call: no model call, no blackboard read.
 */
export class HostBidder {
  readonly #subs: Subscription[] = [];

  constructor(
    private readonly ctx: MeshContext,
    private readonly peers: () => HostedPeerState[],
    private readonly draining: () => boolean,
  ) {}

  start(): void {
    const capabilities = new Set(this.peers().flatMap((p) => p.peer.capabilities.map((c) => c.name)));
    for (const capability of capabilities) {
      // A callback, not an async iterator: each call is answered in the tick it arrives.
      const sub = this.ctx.nc.subscribe(cfpSubject(capability), {
        callback: (err, msg) => {
          if (err !== null || msg.reply === undefined || msg.reply === "") return;
          try {
            const parsed = CallForProposals.safeParse(decodeJson(msg.data));
            // A malformed call, or this host's own auction (it asks in-process): no reply.
            if (!parsed.success || parsed.data.auctioneer === this.ctx.hostId) return;
            msg.respond(JSON.stringify(this.answer(parsed.data, capability)));
          } catch (e) {
            this.ctx.log.warn({ err: String(e), capability }, "could not answer a call for proposals");
          }
        },
      });
      this.#subs.push(sub);
    }
  }

  stop(): void {
    for (const sub of this.#subs) sub.unsubscribe();
  }

  /** True when this host runs a peer serving `capability`. */
  serves(capability: string): boolean {
    return this.peers().some((p) => p.peer.capabilities.some((c) => c.name === capability));
  }

  /** This host's bids and declines for a call for proposals. */
  answer(cfp: CallForProposals, capability: string = cfp.capability): BidReply {
    const reply: BidReply = { host: this.ctx.hostId, bids: [], declines: [] };
    const draining = this.draining();
    for (const { peer, load, capacity } of this.peers()) {
      const spec = peer.capabilities.find((c) => c.name === capability);
      if (spec === undefined) continue;
      if (draining) reply.declines.push({ peer: peer.id, reason: "draining" });
      else if (load >= capacity) reply.declines.push({ peer: peer.id, reason: "at capacity" });
      else if (cfp.exclude.includes(peer.id)) reply.declines.push({ peer: peer.id, reason: "excluded" });
      else {
        const fit = typeof spec.fit === "function" ? spec.fit(cfp) : (spec.fit ?? 1);
        const parts: PeerBidParts = {
          fit: clamp(fit),
          load: clamp(1 - load / capacity),
          cost: clamp(spec.cost ?? 0),
          version: clamp(peer.versionWeight ?? 1),
        };
        const offered = peer.bid === undefined ? parts : peer.bid(cfp, parts);
        if (offered === null) reply.declines.push({ peer: peer.id, reason: "declined by its bid function" });
        else reply.bids.push({ peer: peer.id, version: peer.version, parts: offered });
      }
    }
    return reply;
  }
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
