import type { Counter, Registry } from "prom-client";
import type { Logger } from "pino";
import { NotFoundError } from "../../core/index.ts";
import { type DeskAgentsView, type DeskBoard, type DeskOffer, OfferStateError } from "../../blackboard/index.ts";
import { counter } from "../../observability/index.ts";

/**
 * Waiting on an accepted case while watching the person who holds it. An
 * agent who signs out, or whose desktop or gateway disappears, while holding
 * a case would otherwise leave it orphaned: nobody resolves it and nobody
 * hands it back. When the agent has been away from the desk for the grace
 * period, the desk peer hands the case back on the agent's behalf: the same
 * compare-and-set a desk `HandBack` makes (accepted → handed_back, with a
 * note), so the step then re-opens the need exactly as after a HandBack. An
 * agent back within the grace keeps the case.
 */

/** How long an agent may be away from the desk while holding an accepted case before the desk peer hands it back. */
export const DEFAULT_ABSENCE_GRACE_MS = 30_000;
/** The hand-back note the desk peer writes for an agent who left the desk holding the case. */
export const ABSENCE_NOTE = "left the desk (signed out or lost) while holding the case";
/** The metric's name. */
export const ABANDONED_METRIC = "casemesh_desk_abandoned_total";

/** Gets or creates `casemesh_desk_abandoned_total{capability}` in `registry`. */
export function abandonedCounter(registry: Registry): Counter<"capability"> {
  return counter(registry, {
    name: ABANDONED_METRIC,
    help: "Accepted desk cases the desk peer handed back because the agent holding them was away from the desk longer than the grace period, by capability.",
    labelNames: ["capability"] as const,
  });
}

/** What {@link waitWhileHeld} works with. */
export interface HeldCase {
  /** The accepted offer. */
  offer: DeskOffer;
  graceMs: number;
  board: DeskBoard;
  agents: DeskAgentsView;
  log: Logger;
  metrics: Registry;
  /** The step's signal: aborting it ends the wait (the offer is left as it is). */
  signal: AbortSignal;
}

/**
 * Waits until an accepted offer leaves `accepted`: resolved or handed back
 * at the desk, or handed back here once the agent has been away for the
 * grace. The view's word is checked on the board (`getAgent`) before the
 * case is taken: an agent the board still holds, or a board that cannot be
 * read, means waiting another grace. Returns the offer as it is then
 * (undefined when it was deleted). Rejects when `signal` aborts.
 */
export async function waitWhileHeld(held: HeldCase): Promise<DeskOffer | undefined> {
  const { offerId, agentId, capability } = held.offer;
  // The capability's series shows 0 rather than nothing until a case is abandoned.
  abandonedCounter(held.metrics).inc({ capability }, 0);
  for (;;) {
    const outcome = await settledOrAway(held);
    if (outcome !== "away") return outcome.offer;
    const live = await held.board.getAgent(agentId).then(
      (found) => found !== undefined,
      (err: unknown) => {
        held.log.warn({ agentId, offerId, err: String(err) }, "cannot read the agent's presence on the desk board; keeping the case with them for another grace");
        return true;
      },
    );
    if (live) continue;
    try {
      const handed = await held.board.transition(offerId, ["accepted"], "handed_back", { note: ABSENCE_NOTE });
      abandonedCounter(held.metrics).inc({ capability });
      held.log.warn({ agentId, offerId, caseId: held.offer.caseId, graceMs: held.graceMs }, "the agent left the desk holding the case; handed it back on their behalf");
      return handed.value;
    } catch (err) {
      // Resolved or handed back by the agent at the last moment: that stands.
      if (err instanceof OfferStateError) return (await held.board.getOffer(offerId))?.value;
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }
}

/** The offer once it leaves `accepted`, or "away" once its agent has been away for the grace, whichever comes first. */
async function settledOrAway(held: HeldCase): Promise<{ offer: DeskOffer | undefined } | "away"> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(held.signal.reason);
  if (held.signal.aborted) onAbort();
  else held.signal.addEventListener("abort", onAbort, { once: true });
  const settled = held.board.waitForOffer(held.offer.offerId, (o) => o?.state !== "accepted", undefined, stop.signal).then((w) => ({ offer: w.offer }));
  const away = held.agents.awayFor(held.offer.agentId, held.graceMs, stop.signal).then(() => "away" as const);
  // The loser rejects when it is stopped below; nobody waits for it.
  settled.catch(() => undefined);
  away.catch(() => undefined);
  try {
    return await Promise.race([settled, away]);
  } finally {
    stop.abort();
    held.signal.removeEventListener("abort", onAbort);
  }
}
