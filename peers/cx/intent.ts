/**
 * The intent peer: serves `intent`, the need the gateway opens for every
 * customer message. It reads the message from the case, classifies it with
 * the reasoner (rules by default, Claude when ANTHROPIC_API_KEY is set) in the
 * context of the organisation, the customer's product line and the intent
 * protocol, writes `intent.classified`, and opens the needs that follow. It
 * never opens a need whose result the case already holds, or one that is
 * already open, so the customer is never asked twice and no step runs twice.
 *
 * The need graph of a billing dispute:
 *
 * ```
 * intent ─┬─ identity.verify                       (skipped when identity is known)
 *         ├─ account.load    requires identity.verified (none when known; skipped when loaded)
 *         └─ billing.dispute requires account.loaded, fallback human.billing
 *                                                  (a status reply instead once credited or escalated)
 * ```
 *
 * Any other intent: `identity.verify` (unless known) and a `reply` that
 * acknowledges the message. Run it on its own with
 * `NATS_URL=… node --import tsx peers/cx/intent.ts`.
 */
import { z } from "zod";
import { Channel, FactId, type StoredFact } from "../../blackboard/index.ts";
import { capability, definePeer, type FollowUp, type PeerDefinition, type PeerHost, loadPeerId, runPeers, type StepContext } from "../index.ts";
import { ACCOUNT_LOAD } from "./account.ts";
import { loadAccountData, type AccountData } from "./account-data.ts";
import { BILLING_DISPUTE, HUMAN_BILLING, REPLY } from "./billing.ts";
import { factsOf } from "./case-facts.ts";
import { assembleContext, type ContextHierarchy, loadContextHierarchy } from "./context/index.ts";
import { IDENTITY_FALLBACK, IDENTITY_VERIFY, knownAccount } from "./identity.ts";
import { checkReasonerEnv, reasonerResolver, type ReasonerSource } from "./reasoner-source.ts";
import { type Intent, type IntentClassification, MAX_ENTITIES } from "./reasoners/index.ts";
import { isMain } from "../../core/index.ts";

/** The capability this peer serves (the gateway's first need of every message). */
export const INTENT = "intent";
/** Where a message goes when intent cannot classify it: the gateway's fallback, a human triage desk. */
export const INTENT_FALLBACK = "human.triage";
/** The `about` of a reply that tells the customer where their case stands. */
export const CASE_STATUS = "case.status";

/** The input of an `intent` need, as the gateway opens it. */
export const IntentInput = z.object({ messageFactId: FactId, channel: Channel });
export type IntentInput = z.infer<typeof IntentInput>;

/** What the acknowledging reply tells, per intent that has no dedicated steps yet. */
export const ACKNOWLEDGEMENTS: Readonly<Record<Exclude<Intent, "billing_dispute">, string>> = {
  order_status: "We have your question about your order and are checking where it is now.",
  technical_problem: "We have your report of the technical problem and are looking into it now.",
  cancellation: "We have your cancellation request and will confirm the details with you.",
  other: "We have your message and will get back to you shortly.",
};

/** What the case already holds and which capabilities have a need open on it. */
export interface CaseKnowledge {
  /** Fact kinds on the case. */
  kinds: ReadonlySet<string>;
  /** Capabilities of the needs open on the case. */
  open: ReadonlySet<string>;
  /** True when identity is verified on this case (a verification on an earlier case is the identity peer's to carry over). */
  identityKnown: boolean;
}

/** What the case and the customer's memory already hold. */
export function caseKnowledge(ctx: Pick<StepContext, "case" | "customer">): CaseKnowledge {
  const openIds = new Set(ctx.case.state.openNeeds);
  const open = new Set(factsOf(ctx.case.facts, "need.opened").filter((n) => openIds.has(n.data.needId)).map((n) => n.data.capability));
  const kinds = new Set(ctx.case.state.kinds);
  return { kinds, open, identityKnown: kinds.has("identity.verified") };
}

/**
 * The needs that follow a classified message, leaving out any whose fact the
 * case holds or that is already open: the handoffs the intent step owns.
 */
export function planNeeds(intent: Intent, known: CaseKnowledge): FollowUp[] {
  const needs: FollowUp[] = [];
  if (!known.identityKnown && !known.open.has(IDENTITY_VERIFY)) needs.push({ capability: IDENTITY_VERIFY, fallback: IDENTITY_FALLBACK });
  if (intent !== "billing_dispute") {
    needs.push({ capability: REPLY, input: { about: `intent.${intent}`, tell: ACKNOWLEDGEMENTS[intent] } });
    return needs;
  }
  if (!known.kinds.has("account.loaded") && !known.open.has(ACCOUNT_LOAD)) {
    needs.push({ capability: ACCOUNT_LOAD, requires: known.identityKnown ? [] : ["identity.verified"] });
  }
  const settled = known.kinds.has("credit.applied") || known.kinds.has("escalation.requested");
  if (settled) {
    if (!known.open.has(REPLY)) needs.push({ capability: REPLY, input: { about: CASE_STATUS } });
  } else if (!known.open.has(BILLING_DISPUTE)) {
    needs.push({ capability: BILLING_DISPUTE, requires: ["account.loaded"], fallback: HUMAN_BILLING });
  }
  return needs;
}

/**
 * A message with no intent of its own ("here it is: acc-1001") continues the
 * case's latest real intent: the result keeps that intent and its confidence,
 * and adds the new message's entities to the earlier ones, so the steps that
 * read the latest classification (billing narrows by its dates and amounts)
 * lose nothing the customer said before.
 */
export function continueEarlier(classified: IntentClassification, earlier: readonly IntentClassification[]): IntentClassification {
  const previous = earlier.findLast((c) => c.intent !== "other");
  if (classified.intent !== "other" || previous === undefined) return classified;
  const merge = <T>(a: readonly T[], b: readonly T[]) => {
    const seen = new Set<string>();
    return [...a, ...b].filter((x) => !seen.has(JSON.stringify(x)) && seen.add(JSON.stringify(x))).slice(0, MAX_ENTITIES);
  };
  const [p, c] = [previous.entities, classified.entities];
  return {
    intent: previous.intent,
    confidence: previous.confidence,
    entities: { amounts: merge(p.amounts, c.amounts), dates: merge(p.dates, c.dates), orderIds: merge(p.orderIds, c.orderIds) },
  };
}

/** The message a need points at, from the case's facts. */
function messageOf(facts: readonly StoredFact[], factId: string): string | undefined {
  return factsOf(facts, "message.received").find((m) => m.id === factId)?.data.text;
}

/** What the intent peer is made of. */
export interface IntentPeerOptions {
  /** @default DEFAULT_INTENT_PEER_ID (the process passes PEER_ID) */
  id?: string;
  /** @default envReasoner (rules, or Claude when ANTHROPIC_API_KEY is set) */
  reasoner?: ReasonerSource;
  /** @default loadContextHierarchy() (the shipped context) */
  context?: ContextHierarchy;
  /** Where the customer's product line is looked up. @default loadAccountData() */
  data?: AccountData;
}

/** Builds the intent peer. */
export function intentPeer(options: IntentPeerOptions = {}): PeerDefinition {
  const hierarchy = options.context ?? loadContextHierarchy();
  const data = options.data ?? loadAccountData();
  const reasonerFor = reasonerResolver(options.reasoner);
  return definePeer({
    id: options.id ?? DEFAULT_INTENT_PEER_ID,
    version: "1.0.0",
    capacity: 32,
    capabilities: [
      capability({
        name: INTENT,
        input: IntentInput,
        fit: 1,
        fallback: INTENT_FALLBACK,
        async handler(input, ctx) {
          const facts = ctx.case.facts;
          const text = messageOf(facts, input.messageFactId);
          if (text === undefined) throw new Error(`case ${ctx.need.caseId} holds no message.received ${input.messageFactId}`);
          const line = knownAccount(data, facts)?.productLine;
          const context = assembleContext(hierarchy, { capability: INTENT, productLine: line !== undefined && hierarchy.products.has(line) ? line : null });
          const classified = await reasonerFor(ctx).classifyIntent({ text, context }, { signal: ctx.signal });
          const result = continueEarlier(classified, factsOf(facts, "intent.classified").map((f) => f.data));
          const needs = planNeeds(result.intent, caseKnowledge(ctx));
          ctx.log.info(
            { intent: result.intent, classifiedAs: classified.intent, confidence: result.confidence, needs: needs.map((n) => n.capability) },
            "message classified",
          );
          return { facts: [{ kind: "intent.classified", data: result }], needs };
        },
      }),
    ],
  });
}

/** The intent peer's id when PEER_ID is unset. */
export const DEFAULT_INTENT_PEER_ID = "intent-1";

/** Runs the intent peer as this process's job (id from PEER_ID); exits 2 on a bad PEER_ID or a broken context, data or reasoner environment. */
export async function runIntentPeer(): Promise<PeerHost> {
  return runPeers(({ prepared }) => [prepared], {
    role: "intent",
    prepare: (env: NodeJS.ProcessEnv) => {
      checkReasonerEnv(env);
      return intentPeer({ id: loadPeerId(env, DEFAULT_INTENT_PEER_ID) });
    },
  });
}

if (isMain(import.meta.url)) await runIntentPeer();
