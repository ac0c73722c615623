import { MAX_TEXT_CHARS, type StoredFact } from "../../blackboard/index.ts";
import { redactText } from "../../observability/index.ts";
import { assembleContext, type ContextHierarchy } from "./context/index.ts";
import { type Reasoner, RulesReasoner } from "./reasoners/index.ts";

/**
 * What the human who takes a case is told: the reasoner's summary of the
 * case's facts (one redacted line each), under the reason the case came to a
 * person, when someone handed it back their note, and the customer's latest
 * messages word for word. The agent also gets
 * the full timeline from the gateway; the summary is the minute-long read.
 */

/** The capability whose protocol shapes a summary for a human. */
export const HUMAN_SUMMARY_PROTOCOL = "human.summary";
/** The most fact lines handed to the reasoner; a longer case keeps its latest. */
export const MAX_SUMMARY_FACT_LINES = 500;
/** The customer's latest messages quoted at the top of a summary. */
const MAX_SAID_MESSAGES = 5;
/** The longest line one fact becomes. */
const MAX_FACT_LINE_CHARS = 600;

/** One fact as a line a person (or a model) can read, redacted. */
export function factLine(stored: StoredFact): string {
  const { fact } = stored;
  const data = (fact.data ?? {}) as Record<string, unknown>;
  let what: string;
  switch (fact.kind) {
    case "message.received":
      what = `customer on ${String(data["channel"])}: "${String(data["text"])}"`;
      break;
    case "reply.drafted":
      what = `reply on ${String(data["channel"])} by ${fact.source.peer}: "${String(data["text"])}"`;
      break;
    case "need.opened":
      what = `${String(data["capability"])} asked by ${fact.source.peer}: ${JSON.stringify(data["input"] ?? {})}`;
      break;
    case "need.claimed":
      what = `${String(data["capability"])} taken by ${String(data["peer"])}`;
      break;
    case "need.done":
    case "need.failed":
      what = `${String(data["capability"])} by ${String(data["peer"] ?? fact.source.peer)}${typeof data["reason"] === "string" ? `: ${data["reason"]}` : ""}`;
      break;
    default:
      what = JSON.stringify(data);
  }
  const line = redactText(`${fact.at} ${fact.kind} ${what}`).replace(/\s+/g, " ").trim();
  return line.length <= MAX_FACT_LINE_CHARS ? line : `${line.slice(0, MAX_FACT_LINE_CHARS - 1)}…`;
}

/** What a summary is made from. */
export interface SummaryRequest {
  reasoner: Reasoner;
  hierarchy: ContextHierarchy;
  facts: readonly StoredFact[];
  /** Why the case needs a person (the need's `reason`), if it says. */
  reason?: string | undefined;
  /** The note of the agent who handed the case back, if one did. */
  handBack?: { agentId: string; note: string } | undefined;
  signal: AbortSignal;
  /** Told when the reasoner failed and the rules summary was used instead. */
  onFallback?: (err: unknown) => void;
}

/**
 * The summary an offer carries: reason, hand-back note, then the reasoner's
 * summary (the rules summary when a model reasoner fails); redacted and
 * within the offer's limit.
 */
export async function summarizeCase(r: SummaryRequest): Promise<string> {
  const lines = r.facts.map(factLine).slice(-MAX_SUMMARY_FACT_LINES);
  const head: string[] = [];
  if (r.reason !== undefined) head.push(`Why a person: ${r.reason}`);
  if (r.handBack !== undefined) head.push(`Handed back by ${r.handBack.agentId}: ${r.handBack.note}`);
  // What the customer said comes first and whole, however long the case: nobody asks them again.
  const said = r.facts.filter((f) => f.fact.kind === "message.received").slice(-MAX_SAID_MESSAGES);
  if (said.length > 0) {
    head.push(
      `The customer said:\n${said
        .map(({ fact }) => {
          const data = (fact.data ?? {}) as Record<string, unknown>;
          return `- on ${String(data["channel"])} at ${fact.at}: "${String(data["text"])}"`;
        })
        .join("\n")}`,
    );
  }
  let body = "";
  if (lines.length > 0) {
    const context = assembleContext(r.hierarchy, { capability: HUMAN_SUMMARY_PROTOCOL });
    const input = { caseFacts: lines, context };
    try {
      body = (await r.reasoner.summarizeForHuman(input, { signal: r.signal })).summary;
    } catch (err) {
      // A model that is down must not keep the case from a person: the rules summary will do.
      if (r.signal.aborted || r.reasoner.kind === "rules") throw err;
      r.onFallback?.(err);
      body = (await new RulesReasoner().summarizeForHuman(input)).summary;
    }
  }
  const text = redactText([...head, body].filter((s) => s !== "").join("\n\n")) || "A case needs a person; it holds no facts yet.";
  return text.length <= MAX_TEXT_CHARS ? text : text.slice(0, MAX_TEXT_CHARS);
}
