import Anthropic, {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  PermissionDeniedError,
} from "@anthropic-ai/sdk";
import type { MessageParam, TextBlockParam, Tool, ToolUseBlock } from "@anthropic-ai/sdk/resources/messages";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { z } from "zod";
import { CasemeshError, ConfigError, type ContractIssue, ContractViolationError, TimeoutError, UnavailableError } from "../../../core/index.ts";
import { redactText } from "../../../observability/index.ts";
import type { AssembledContext } from "../context/context-schema.ts";
import { channelShapeProblems, toSpeakable } from "./channel-shape.ts";
import { countTokens, modelMetrics, type ModelMetrics } from "./model-metrics.ts";
import {
  HumanSummary,
  IntentClassification,
  ReplyDraft,
  type ClassifyIntentInput,
  type DraftReplyInput,
  type Reasoner,
  type ReasonerCallOptions,
  type ReasonerOperation,
  type SummarizeForHumanInput,
} from "./reasoner.ts";

/** The model the Claude reasoner asks unless told otherwise: fast and cheap enough for every step. */
export const DEFAULT_CLAUDE_MODEL = "claude-haiku-4-5";
/** How long one model request may take before the SDK gives up on it (and retries). */
export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;
/** Transport retries (429, 5xx, 529, connection errors, timeouts) the SDK makes per request. */
export const DEFAULT_MODEL_MAX_RETRIES = 2;
/** Requests per operation while the model's answer breaks its contract; then {@link MalformedModelAnswerError}. */
export const DEFAULT_ANSWER_ATTEMPTS = 2;
/** The most tokens one answer may use. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1_024;
/** Where the Messages API lives unless ANTHROPIC_BASE_URL says otherwise. */
export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** Opens the cached system prefix of every prompt, before the context hierarchy. */
export const SYSTEM_PREAMBLE =
  "You are one reasoning step in a customer service mesh. Work only from the organisation, product line and protocol " +
  "context below and from what the request gives you. Personal data such as card numbers has been masked; never try " +
  "to restore it. Answer only by calling the tool you are given, exactly once.";

/** How to reach Claude and where to count what it costs. */
export interface ClaudeReasonerOptions {
  apiKey: string;
  /** @default DEFAULT_ANTHROPIC_BASE_URL */
  baseURL?: string | undefined;
  /** @default DEFAULT_CLAUDE_MODEL */
  model?: string | undefined;
  /** @default DEFAULT_MODEL_TIMEOUT_MS */
  timeoutMs?: number | undefined;
  /** @default DEFAULT_MODEL_MAX_RETRIES */
  maxRetries?: number | undefined;
  /** @default DEFAULT_ANSWER_ATTEMPTS */
  answerAttempts?: number | undefined;
  /** @default DEFAULT_MAX_OUTPUT_TOKENS */
  maxOutputTokens?: number | undefined;
  /** Where `casemesh_model_*` metrics go. */
  metrics: Registry;
  /** Warnings about malformed answers; never prompt text. */
  log?: Logger | undefined;
}

/**
 * The model answered, but its tool input broke the operation's contract on
 * every attempt. The message names the first offending field. Retryable: a
 * later run of the step may get a good answer.
 */
export class MalformedModelAnswerError extends ContractViolationError {
  /** The reasoner operation whose answer was malformed. */
  readonly operation: ReasonerOperation;
  /** How many answers were tried. */
  readonly attempts: number;

  constructor(operation: ReasonerOperation, issues: readonly ContractIssue[], attempts: number) {
    super(`model answer to ${operation} (after ${attempts} attempts)`, issues, { retryable: true });
    this.operation = operation;
    this.attempts = attempts;
  }
}

interface OperationSpec<O> {
  operation: ReasonerOperation;
  tool: string;
  description: string;
  output: z.ZodType<O>;
  /** Post-parse normalisation and checks beyond the schema (channel shape). */
  refine?: (value: O) => { value: O; problems: string[] };
}

const CLASSIFY: OperationSpec<IntentClassification> = {
  operation: "classify_intent",
  tool: "record_intent",
  description: "Record the customer's intent, your confidence in it, and the amounts, dates and order ids in the message.",
  output: IntentClassification,
};

const SUMMARIZE: OperationSpec<HumanSummary> = {
  operation: "summarize_for_human",
  tool: "write_summary",
  description: "Write the summary a human colleague reads before taking over the case.",
  output: HumanSummary,
};

/** The tool whose input schema is `schema` as JSON Schema (draft 2020-12). */
function toolFor<O>(spec: OperationSpec<O>): Tool {
  const schema = z.toJSONSchema(spec.output) as Record<string, unknown>;
  delete schema["$schema"];
  return { name: spec.tool, description: spec.description, input_schema: { ...schema, type: "object" } };
}

function issuesOf(error: z.ZodError): ContractIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/**
 * The Claude reasoner: one Messages API call per operation, with one tool
 * whose input schema is the operation's output contract, forced with
 * `tool_choice`, and the answer parsed by that same zod schema. The context
 * prefix is a system block marked for prompt caching; every customer-derived
 * string is redacted before it enters a prompt. A malformed answer is sent
 * back as a tool error and retried, then fails with
 * {@link MalformedModelAnswerError}. Transport failures are retried by the SDK.
 */
export class ClaudeReasoner implements Reasoner {
  /** Always `claude`. */
  readonly kind = "claude" as const;
  readonly #client: Anthropic;
  readonly #model: string;
  readonly #maxOutputTokens: number;
  readonly #answerAttempts: number;
  readonly #metrics: ModelMetrics;
  readonly #log: Logger | undefined;

  constructor(options: ClaudeReasonerOptions) {
    const log = options.log;
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL,
      timeout: options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MODEL_MAX_RETRIES,
      openTelemetry: false,
      ...(log === undefined
        ? { logLevel: "off" as const }
        : {
            logLevel: "warn" as const,
            // Only the SDK's own message: its extra arguments can hold request bodies.
            logger: {
              error: (msg: string) => log.error({ component: "anthropic-sdk" }, msg),
              warn: (msg: string) => log.warn({ component: "anthropic-sdk" }, msg),
              info: (msg: string) => log.info({ component: "anthropic-sdk" }, msg),
              debug: (msg: string) => log.debug({ component: "anthropic-sdk" }, msg),
            },
          }),
    });
    this.#model = options.model ?? DEFAULT_CLAUDE_MODEL;
    this.#maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    this.#answerAttempts = Math.max(1, options.answerAttempts ?? DEFAULT_ANSWER_ATTEMPTS);
    this.#metrics = modelMetrics(options.metrics);
    this.#log = log;
  }

  /** Asks Claude for the intent and entities of the (redacted) message. */
  async classifyIntent(input: ClassifyIntentInput, options: ReasonerCallOptions = {}): Promise<IntentClassification> {
    const request = [
      `Classify the customer's message below by calling ${CLASSIFY.tool}.`,
      "Intents: billing_dispute, order_status, technical_problem, cancellation, other.",
      "Amounts in minor units with an ISO-4217 code (12.50 dollars is 1250 USD); dates as the customer wrote them; order ids without the hash sign.",
      "",
      "<customer_message>",
      redactText(input.text),
      "</customer_message>",
    ].join("\n");
    return this.#ask(CLASSIFY, input.context, request, options.signal);
  }

  /** Asks Claude for a reply on the channel; the answer is checked against the channel's shape. */
  async draftReply(input: DraftReplyInput, options: ReasonerCallOptions = {}): Promise<ReplyDraft> {
    const org = input.context.organisation;
    const rules: Record<DraftReplyInput["channel"], string> = {
      chat: `Chat: one or two short sentences, at most ${org.channels.chat.maxChars} characters in total, no greeting line.`,
      voice: "Voice: it will be spoken aloud. No links, no symbols, no digits: say amounts, dates and numbers in words.",
      email: `Email: open with "${org.channels.email.greeting}" and the customer's name when known, give the facts in full sentences, and end with "${org.channels.email.signOff}," on its own line followed by "${org.channels.email.signature}".`,
      self_service: "Self-service page: plain sentences, no greeting.",
    };
    const spec: OperationSpec<ReplyDraft> = {
      operation: "draft_reply",
      tool: "write_reply",
      description: "Write the reply to send to the customer on their channel.",
      output: ReplyDraft,
      refine: (value) => {
        const text = input.channel === "voice" ? toSpeakable(value.text) : value.text;
        return { value: { text }, problems: channelShapeProblems(input.channel, text, org) };
      },
    };
    const request = [
      `Write the reply for the ${input.channel} channel by calling ${spec.tool}.`,
      rules[input.channel],
      `Customer name: ${input.customerName === undefined ? "unknown" : redactText(input.customerName)}`,
      "The reply must convey every one of these facts, exactly, and nothing the case does not hold:",
      ...input.facts.map((f) => `- ${redactText(f)}`),
    ].join("\n");
    return this.#ask(spec, input.context, request, options.signal);
  }

  /** Asks Claude to summarise the (redacted) case facts for a human. */
  async summarizeForHuman(input: SummarizeForHumanInput, options: ReasonerCallOptions = {}): Promise<HumanSummary> {
    const request = [
      `Summarise this case for the human colleague who takes it over by calling ${SUMMARIZE.tool}.`,
      "",
      "<case_facts>",
      ...input.caseFacts.map((f) => `- ${redactText(f)}`),
      "</case_facts>",
    ].join("\n");
    return this.#ask(SUMMARIZE, input.context, request, options.signal);
  }

  async #ask<O>(spec: OperationSpec<O>, context: AssembledContext, request: string, signal: AbortSignal | undefined): Promise<O> {
    const system: TextBlockParam[] = [
      { type: "text", text: `${SYSTEM_PREAMBLE}\n\n${context.prefix}`, cache_control: { type: "ephemeral" } },
    ];
    const tool = toolFor(spec);
    const messages: MessageParam[] = [{ role: "user", content: request }];
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1_000;
      let response: Anthropic.Message;
      try {
        response = await this.#client.messages.create(
          { model: this.#model, max_tokens: this.#maxOutputTokens, system, tools: [tool], tool_choice: { type: "tool", name: spec.tool }, messages },
          signal === undefined ? {} : { signal },
        );
      } catch (err) {
        this.#metrics.duration.observe({ operation: spec.operation, outcome: "error" }, seconds());
        throw asModelError(err, spec.operation, signal);
      }
      countTokens(this.#metrics, spec.operation, response.usage);
      const block = response.content.find((b): b is ToolUseBlock => b.type === "tool_use" && b.name === spec.tool);
      let issues: ContractIssue[];
      if (block === undefined) {
        issues = [{ path: "", message: `the answer holds no ${spec.tool} tool call (stop reason ${String(response.stop_reason)})` }];
      } else {
        const parsed = spec.output.safeParse(block.input);
        if (parsed.success) {
          const refined = spec.refine === undefined ? { value: parsed.data, problems: [] } : spec.refine(parsed.data);
          if (refined.problems.length === 0) {
            this.#metrics.duration.observe({ operation: spec.operation, outcome: "ok" }, seconds());
            return refined.value;
          }
          issues = refined.problems.map((message) => ({ path: "text", message }));
        } else {
          issues = issuesOf(parsed.error);
        }
      }
      this.#metrics.duration.observe({ operation: spec.operation, outcome: "malformed" }, seconds());
      this.#log?.warn({ operation: spec.operation, attempt, issues: issues.slice(0, 5) }, "model answer broke its contract");
      if (attempt >= this.#answerAttempts) throw new MalformedModelAnswerError(spec.operation, issues, attempt);
      const feedback = `Your answer was rejected: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}. Call ${spec.tool} again with a corrected input.`;
      if (block === undefined) {
        messages.push({ role: "assistant", content: "(no tool call)" }, { role: "user", content: feedback });
      } else {
        messages.push(
          { role: "assistant", content: [{ type: "tool_use", id: block.id, name: block.name, input: block.input }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: block.id, is_error: true, content: feedback }] },
        );
      }
    }
  }
}

/** Maps an SDK failure (after its own retries) to a casemesh error, keeping it as the cause. */
function asModelError(err: unknown, operation: ReasonerOperation, signal: AbortSignal | undefined): unknown {
  if (err instanceof APIUserAbortError && signal?.aborted === true) return signal.reason ?? err;
  if (err instanceof APIConnectionTimeoutError) return new TimeoutError(`model request for ${operation} timed out`, { cause: err });
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
    return new ConfigError(`the model API refused the key in ANTHROPIC_API_KEY (${err.status})`, { cause: err });
  }
  if (err instanceof APIError) {
    const status = err.status;
    if (status === undefined || status === 408 || status === 409 || status === 429 || status >= 500) {
      return new UnavailableError(`model API unavailable for ${operation}${status === undefined ? "" : ` (HTTP ${status})`}`, { cause: err });
    }
    return new CasemeshError("INTERNAL", `model API rejected the ${operation} request (HTTP ${status})`, { cause: err });
  }
  return err;
}
