import { z } from "zod";
import { Channel, CORE_FACT_KINDS, MAX_TEXT_CHARS } from "../../../blackboard/index.ts";
import { AssembledContext } from "../context/context-schema.ts";

/**
 * The reasoner interface: the three judgements the CX peers need (classify an
 * intent, draft a reply, summarise a case for a human), with inputs and
 * outputs declared once as zod schemas. Two implementations: rules
 * (deterministic, the default) and Claude (when ANTHROPIC_API_KEY is set).
 */

const CustomerText = z.string().min(1).max(MAX_TEXT_CHARS);
const FactLine = z.string().min(1).max(2_000);

/** The operations of a reasoner, as they appear in metric labels. */
export const ReasonerOperation = z.enum(["classify_intent", "draft_reply", "summarize_for_human"]);
export type ReasonerOperation = z.infer<typeof ReasonerOperation>;

/** Input of {@link Reasoner.classifyIntent}: the customer's message and the step's context. */
export const ClassifyIntentInput = z.strictObject({
  text: CustomerText,
  context: AssembledContext,
});
export type ClassifyIntentInput = z.infer<typeof ClassifyIntentInput>;

/** Output of {@link Reasoner.classifyIntent}: exactly the `intent.classified` fact's data. */
export const IntentClassification = CORE_FACT_KINDS["intent.classified"].data;
export type IntentClassification = z.infer<typeof IntentClassification>;

/** The intents a message can be classified as. */
export const Intent = IntentClassification.shape.intent;
export type Intent = z.infer<typeof Intent>;

/** Input of {@link Reasoner.draftReply}: the channel, what the reply must convey, and to whom. */
export const DraftReplyInput = z.strictObject({
  channel: Channel,
  /** What the reply must convey, one plain sentence each, most important first. */
  facts: z.array(FactLine).min(1).max(20),
  customerName: z.string().min(1).max(120).optional(),
  context: AssembledContext,
});
export type DraftReplyInput = z.infer<typeof DraftReplyInput>;

/** Output of {@link Reasoner.draftReply}: text shaped for the channel, ready for `reply.drafted`. */
export const ReplyDraft = z.strictObject({
  text: CustomerText,
});
export type ReplyDraft = z.infer<typeof ReplyDraft>;

/** Input of {@link Reasoner.summarizeForHuman}: the case's facts, one line each, oldest first. */
export const SummarizeForHumanInput = z.strictObject({
  caseFacts: z.array(FactLine).min(1).max(500),
  context: AssembledContext,
});
export type SummarizeForHumanInput = z.infer<typeof SummarizeForHumanInput>;

/** Output of {@link Reasoner.summarizeForHuman}: a summary a human colleague can act on. */
export const HumanSummary = z.strictObject({
  summary: z.string().min(1).max(4_000),
});
export type HumanSummary = z.infer<typeof HumanSummary>;

/** Per-call options: the step's abort signal, so a lost lease stops a model call. */
export interface ReasonerCallOptions {
  signal?: AbortSignal | undefined;
}

/** Judgement behind an interface, so a peer does not care whether rules or a model answer. */
export interface Reasoner {
  /** `rules` or `claude`: which implementation this is. */
  readonly kind: "rules" | "claude";
  /** What the customer wants, with the amounts, dates and order ids in the message. */
  classifyIntent(input: ClassifyIntentInput, options?: ReasonerCallOptions): Promise<IntentClassification>;
  /** A reply conveying `facts`, shaped for the channel (short chat, speakable voice, complete email). */
  draftReply(input: DraftReplyInput, options?: ReasonerCallOptions): Promise<ReplyDraft>;
  /** A summary of the case for the human who takes it over. */
  summarizeForHuman(input: SummarizeForHumanInput, options?: ReasonerCallOptions): Promise<HumanSummary>;
}
