import { jetstream, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { type BlackboardClient, type Channel, EXPECT_CASE_SEQ_HEADER, type Fact, FactEnvelope, FACTS_STREAM, inspectFact } from "../blackboard/index.ts";
import type { CaseEvent } from "./generated/casemesh/v1/CaseEvent.ts";
import { type EventFactKind, protoEventKind } from "./proto-enums.ts";
import { protoChannel } from "./requests.ts";
import { followStream, parseJsonStrict } from "../core/index.ts";

/**
 * A case's customer-facing events, read straight from the fact log with an
 * ordered consumer that starts after a given sequence. No gateway keeps any
 * state about a watcher: a client that reconnects anywhere with the last
 * sequence it received gets every later event once, in log order.
 */

/** The fact kinds a customer-facing stream carries. */
export const CUSTOMER_FACING_KINDS: ReadonlySet<string> = new Set(["case.opened", "message.received", "reply.drafted", "case.resolved"]);

/** A fact as a customer-facing event, or undefined for facts that are not. */
export function toCaseEvent(seq: number, fact: Fact): CaseEvent | undefined {
  const base = { seq: String(seq), case_id: fact.caseId, fact_id: fact.id, at: fact.at };
  const event = (channel: Channel | null, text: string): CaseEvent => ({ ...base, kind: protoEventKind(fact.kind as EventFactKind), channel: protoChannel(channel), text });
  switch (fact.kind) {
    case "case.opened":
      return event(fact.data.channel, "");
    case "message.received":
      return event(fact.data.channel, fact.data.text);
    case "reply.drafted":
      return event(fact.data.channel, fact.data.text);
    case "case.resolved":
      return event(null, fact.data.resolution);
    default:
      return undefined;
  }
}

export interface FactWatchOptions {
  nc: NatsConnection;
  blackboard: BlackboardClient;
  /** A subject filter on the facts stream, e.g. `casemesh.fact.<caseId>.>`. */
  subject: string;
  afterSeq: number;
  signal: AbortSignal;
  /** Called for every projected fact, in log order; awaited (backpressure). */
  onFact: (seq: number, fact: Fact) => Promise<void> | void;
}

/**
 * Streams the projected facts on `subject` after `afterSeq`, then live ones,
 * until `signal` aborts: an ordered consumer, so a client's resume point is
 * all the state there is.
 */
export async function watchFacts(options: FactWatchOptions): Promise<void> {
  const { nc, signal } = options;
  const js = jetstream(nc);
  // Fails at once when the log cannot be read; a consumer lost later (a nats-server restart) is opened again after the last fact sent.
  for await (const m of followStream(js, FACTS_STREAM, { afterSeq: options.afterSeq, subject: options.subject, maxMessages: 256, signal, closed: () => nc.isClosed(), failFirstOpen: true })) {
    const fact = await projectedFact(m, options.blackboard);
    if (fact !== undefined) await options.onFact(m.seq, fact);
  }
}

export interface WatchOptions extends Omit<FactWatchOptions, "subject" | "onFact"> {
  caseId: string;
  /** Called for every customer-facing event, in log order; awaited (backpressure). */
  onEvent: (event: CaseEvent, fact: Fact) => Promise<void> | void;
}

/** Streams a case's customer-facing events until `signal` aborts. */
export function watchCase(options: WatchOptions): Promise<void> {
  return watchFacts({
    ...options,
    subject: `casemesh.fact.${options.caseId}.>`,
    onFact: async (seq, fact) => {
      const event = toCaseEvent(seq, fact);
      if (event !== undefined) await options.onEvent(event, fact);
    },
  });
}

/**
 * The fact in a log message, if the blackboard projected it: a message that
 * breaks its contract is dead-lettered, and an optimistic append that lost is
 * never projected, so neither is shown to a customer. A fact of a kind this
 * gateway has not registered (an application's own) is shown, as its
 * envelope, once the blackboard says it projected it.
 */
async function projectedFact(m: JsMsg, blackboard: BlackboardClient): Promise<Fact | undefined> {
  let value: unknown;
  try {
    value = parseJsonStrict(m.data);
  } catch {
    return undefined;
  }
  const checked = inspectFact(value);
  let fact: Fact;
  if (checked.ok) fact = checked.fact;
  else if (checked.unknown !== undefined) {
    const envelope = FactEnvelope.safeParse(value);
    if (!envelope.success) return undefined;
    // Not a kind this process can narrow: callers switch on `kind` with a default.
    fact = envelope.data as Fact;
  } else return undefined;
  const expected = m.headers?.get(EXPECT_CASE_SEQ_HEADER);
  if (!checked.ok || (expected !== undefined && expected !== "")) {
    const verdict = await blackboard.factVerdict(m.seq);
    if (verdict.status !== "projected") return undefined;
  }
  return fact;
}
