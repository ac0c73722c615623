/** Reasoners of the reference CX peers: the interface, rules (default), Claude, and the factory that picks one. */
export {
  ReasonerOperation,
  ClassifyIntentInput,
  IntentClassification,
  Intent,
  DraftReplyInput,
  ReplyDraft,
  SummarizeForHumanInput,
  HumanSummary,
} from "./reasoner.ts";
export type { Reasoner, ReasonerCallOptions } from "./reasoner.ts";
export { RulesReasoner, RULES_SUMMARY_MAX_LINES, EMAIL_CLOSING_LINE } from "./rules.ts";
export { classifyByRules, findAmounts, findDates, findOrderIds, MAX_ENTITIES } from "./rules-entities.ts";
export {
  ClaudeReasoner,
  MalformedModelAnswerError,
  DEFAULT_CLAUDE_MODEL,
  DEFAULT_MODEL_TIMEOUT_MS,
  DEFAULT_MODEL_MAX_RETRIES,
  DEFAULT_ANSWER_ATTEMPTS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_ANTHROPIC_BASE_URL,
  SYSTEM_PREAMBLE,
} from "./claude.ts";
export type { ClaudeReasonerOptions } from "./claude.ts";
export { reasonerFromEnv } from "./from-env.ts";
export type { ReasonerDeps } from "./from-env.ts";
export { channelShapeProblems, toSpeakable, numberToWords, ordinalWords, amountToWords, digitsToWords } from "./channel-shape.ts";
export { modelMetrics, countTokens, MODEL_LATENCY_BUCKETS } from "./model-metrics.ts";
export type { ModelMetrics, TokenKind, TokenUsage, ModelOutcome } from "./model-metrics.ts";
