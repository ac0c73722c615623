import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { z } from "zod";
import { ConfigError } from "../../../core/index.ts";
import { ClaudeReasoner, DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_CLAUDE_MODEL, DEFAULT_MODEL_MAX_RETRIES, DEFAULT_MODEL_TIMEOUT_MS } from "./claude.ts";
import type { Reasoner } from "./reasoner.ts";
import { RulesReasoner } from "./rules.ts";

const whole = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min, `${name} must be at least ${min}`)
    .optional();

/** The reasoner's environment (intent, composer and desk peers); each description is its row in docs/configuration.md. */
export const ReasonerEnv = z.object({
  ANTHROPIC_API_KEY: z.string().trim().min(1).optional().meta({ description: "Set: intent, replies and human summaries use Claude; unset: the rules reasoner.", whenUnset: "unset (rules)" }),
  ANTHROPIC_BASE_URL: z
    .url({ message: "ANTHROPIC_BASE_URL must be a URL such as http://127.0.0.1:8080" })
    .optional()
    .meta({ description: "Where the Claude reasoner sends requests (tests point it at a local fake of the Messages API).", whenUnset: DEFAULT_ANTHROPIC_BASE_URL }),
  CASEMESH_MODEL: z
    .string()
    .regex(/^[\w.:@-]{1,128}$/, "CASEMESH_MODEL must be a model name such as claude-haiku-4-5")
    .optional()
    .meta({ description: "The model the Claude reasoner asks.", whenUnset: DEFAULT_CLAUDE_MODEL }),
  CASEMESH_MODEL_TIMEOUT_MS: whole("CASEMESH_MODEL_TIMEOUT_MS", 100).meta({ description: "Timeout of one model request, in ms.", whenUnset: String(DEFAULT_MODEL_TIMEOUT_MS) }),
  CASEMESH_MODEL_MAX_RETRIES: whole("CASEMESH_MODEL_MAX_RETRIES", 0).meta({ description: "How often the SDK retries a failed model request.", whenUnset: String(DEFAULT_MODEL_MAX_RETRIES) }),
});

/** What a reasoner needs from its process. */
export interface ReasonerDeps {
  /** Where the Claude reasoner's `casemesh_model_*` metrics go. */
  metrics: Registry;
  log?: Logger | undefined;
}

/**
 * Picks the reasoner for a process: Claude when `ANTHROPIC_API_KEY` is set
 * (with `ANTHROPIC_BASE_URL`, `CASEMESH_MODEL`, `CASEMESH_MODEL_TIMEOUT_MS` and
 * `CASEMESH_MODEL_MAX_RETRIES` when given), rules otherwise. Empty variables
 * count as unset. Throws {@link ConfigError} naming a malformed variable.
 */
export function reasonerFromEnv(env: NodeJS.ProcessEnv, deps: ReasonerDeps): Reasoner {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v.trim() !== "" && k in ReasonerEnv.shape),
  );
  const parsed = ReasonerEnv.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), {
      cause: parsed.error,
      variables: [...new Set(parsed.error.issues.map((i) => String(i.path[0])))],
    });
  }
  const e = parsed.data;
  if (e.ANTHROPIC_API_KEY === undefined) return new RulesReasoner();
  return new ClaudeReasoner({
    apiKey: e.ANTHROPIC_API_KEY,
    baseURL: e.ANTHROPIC_BASE_URL,
    model: e.CASEMESH_MODEL,
    timeoutMs: e.CASEMESH_MODEL_TIMEOUT_MS,
    maxRetries: e.CASEMESH_MODEL_MAX_RETRIES,
    metrics: deps.metrics,
    log: deps.log,
  });
}
