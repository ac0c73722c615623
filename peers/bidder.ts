import type { Subscription } from "nats";
import type { PeerDefinition } from "./define-peer.ts";
import type { MeshContext } from "./mesh-context.ts";
import { CallForProposals, cfpSubject, type BidParts, type BidReply } from "./protocol.ts";

/**
 * Answers calls for proposals for one hosted peer: one subscription per
 * capability it serves, one reply per call. Bids are computed from what the
 * call carries and the peer's own load: no model call, no blackboard read.
 * A full or draining peer declines, so the auction need not wait for it.
 */
export class PeerBidder {
  readonly #subs: Subscription[] = [];

  constructor(
    private readonly ctx: MeshContext,
    private readonly peer: PeerDefinition,
    private readonly load: () => { load: number; capacity: number; draining: boolean },
  ) {}

  start(): void {
    for (const spec of this.peer.capabilities) {
      const sub = this.ctx.nc.subscribe(cfpSubject(spec.name));
      this.#subs.push(sub);
      void (async () => {
        for await (const msg of sub) {
          if (msg.reply === undefined || msg.reply === "") continue;
          const reply = this.#bid(msg.data, spec.name);
          if (reply !== undefined) msg.respond(JSON.stringify(reply));
        }
      })();
    }
  }

  stop(): void {
    for (const sub of this.#subs) sub.unsubscribe();
  }

  #bid(data: Uint8Array, capability: string): BidReply | undefined {
    let cfp: CallForProposals;
    try {
      const parsed = CallForProposals.safeParse(JSON.parse(new TextDecoder().decode(data)));
      if (!parsed.success) return undefined;
      cfp = parsed.data;
    } catch {
      return undefined;
    }
    const peer = this.peer.id;
    const { load, capacity, draining } = this.load();
    if (draining) return { type: "decline", peer, reason: "draining" };
    if (load >= capacity) return { type: "decline", peer, reason: "at capacity" };
    if (cfp.exclude.includes(peer)) return { type: "decline", peer, reason: "excluded" };
    const spec = this.peer.capabilities.find((c) => c.name === capability);
    const fit = typeof spec?.fit === "function" ? spec.fit(cfp) : (spec?.fit ?? 1);
    const parts: BidParts = {
      fit: clamp(fit),
      load: clamp(1 - load / capacity),
      cost: clamp(spec?.cost ?? 0),
      continuity: cfp.previousHandler === peer ? 1 : 0,
      version: clamp(this.peer.versionWeight ?? 1),
    };
    const custom = this.peer.bid === undefined ? parts : this.peer.bid(cfp, parts);
    if (custom === null) return { type: "decline", peer, reason: "declined by its bid function" };
    return { type: "bid", peer, version: this.peer.version, parts: custom };
  }
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
