import type { BlackboardClient, CaseState, StoredFact } from "../blackboard/index.ts";
import { checkFact } from "../blackboard/index.ts";
import type { Handoff } from "./generated/casemesh/v1/Handoff.ts";
import type { Timeline } from "./generated/casemesh/v1/Timeline.ts";
import type { TimelineFact } from "./generated/casemesh/v1/TimelineFact.ts";
import { protoCaseStatus } from "./proto-enums.ts";
import { protoChannel } from "./requests.ts";

/**
 * A case's timeline: every projected fact with the peer and capability that
 * wrote it, and every handoff (need.claimed) with its bids and the capability
 * of the step that opened the need. Read from the blackboard at its latest
 * version, or at least at `minSeq`.
 */
export async function readTimeline(blackboard: BlackboardClient, caseId: string, minSeq = 0): Promise<{ timeline: Timeline; state: CaseState }> {
  const { case: state, facts } = await blackboard.getCase({ caseId, minSeq });
  const openedBy = new Map<string, string>();
  for (const { fact } of facts) {
    // The opened need is the fact's data.needId; fact.needId is the need whose step opened it.
    if (fact.kind !== "need.opened") continue;
    const opened = checkFact(fact);
    if (opened.kind === "need.opened") openedBy.set(opened.data.needId, fact.source.capability);
  }
  const timeline: Timeline = {
    case_id: state.caseId,
    customer_id: state.customerId ?? "",
    status: protoCaseStatus(state.status),
    channels: state.channels.map(protoChannel),
    current_channel: protoChannel(state.currentChannel),
    facts: facts.map(timelineFact),
    handoffs: facts.flatMap((f) => handoff(f, openedBy)),
    last_seq: String(state.lastSeq),
  };
  return { timeline, state };
}

/**
 * The fact kinds of the customer's view of a case (what a channel credential
 * reads), each with the data fields it shows: the conversation, without who
 * handled it. A field a later contract version adds is not shown until it is
 * listed here.
 */
export const CUSTOMER_TIMELINE_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["case.opened", ["customerId", "channel"]],
  ["message.received", ["channel", "address", "text", "clientMessageId", "attachments"]],
  ["reply.drafted", ["channel", "text", "replyTo"]],
  ["reply.delivered", ["channel", "address", "draftFactId"]],
  ["case.resolved", ["resolution"]],
]);

/**
 * The customer's view of a timeline: only the kinds of
 * {@link CUSTOMER_TIMELINE_FIELDS} with their listed data fields; no source
 * peer, capability or need on any fact, and no handoffs (so no bids).
 */
export function customerTimeline(timeline: Timeline): Timeline {
  const facts = (timeline.facts ?? []).flatMap((f): TimelineFact[] => {
    const fields = CUSTOMER_TIMELINE_FIELDS.get(f.kind ?? "");
    if (fields === undefined) return [];
    const data = JSON.parse(f.data_json ?? "{}") as Record<string, unknown>;
    const shown = Object.fromEntries(fields.filter((k) => Object.hasOwn(data, k)).map((k) => [k, data[k]]));
    return [{ ...f, source_peer: "", source_capability: "", need_id: "", data_json: JSON.stringify(shown) }];
  });
  return { ...timeline, facts, handoffs: [] };
}

function timelineFact({ seq, fact }: StoredFact): TimelineFact {
  const data = fact.data as Record<string, unknown> | null;
  const channel = typeof data?.["channel"] === "string" ? (data["channel"] as Parameters<typeof protoChannel>[0]) : null;
  return {
    seq: String(seq),
    fact_id: fact.id,
    kind: fact.kind,
    version: fact.v,
    at: fact.at,
    source_peer: fact.source.peer,
    source_capability: fact.source.capability,
    need_id: fact.needId ?? "",
    channel: protoChannel(channel),
    data_json: JSON.stringify(fact.data),
  };
}

function handoff({ seq, fact }: StoredFact, openedBy: Map<string, string>): Handoff[] {
  if (fact.kind !== "need.claimed") return [];
  const claimed = checkFact(fact);
  if (claimed.kind !== "need.claimed") return [];
  const d = claimed.data;
  return [
    {
      seq: String(seq),
      need_id: d.needId,
      from_capability: openedBy.get(d.needId) ?? "",
      to_capability: d.capability,
      attempt: d.attempt,
      peer: d.peer,
      at: fact.at,
      bids: d.bids.map((b) => ({
        peer: b.peer,
        version: b.version,
        utility: b.utility,
        fit: b.parts.fit,
        load: b.parts.load,
        cost: b.parts.cost,
        continuity: b.parts.continuity,
        version_weight: b.parts.version,
      })),
    },
  ];
}
