import type { Counter, Histogram, Registry } from "prom-client";
import { counter, histogram } from "../../../observability/index.ts";
import type { ReasonerOperation } from "./reasoner.ts";

/** Model latency buckets in seconds, from 50 ms to 2 minutes. */
export const MODEL_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

/** The kinds of tokens a model call is billed for. */
export type TokenKind = "input" | "output" | "cache_read" | "cache_write";

/** How one model request ended: a usable answer, an answer that broke its contract, or an error. */
export type ModelOutcome = "ok" | "malformed" | "error";

/** The model metrics of one registry. */
export interface ModelMetrics {
  /** `casemesh_model_tokens_total{operation,kind}` */
  tokens: Counter<"operation" | "kind">;
  /** `casemesh_model_request_duration_seconds{operation,outcome}`, one sample per request (SDK retries included). */
  duration: Histogram<"operation" | "outcome">;
}

/** Gets or creates the model metrics in `registry`. */
export function modelMetrics(registry: Registry): ModelMetrics {
  return {
    tokens: counter(registry, {
      name: "casemesh_model_tokens_total",
      help: "Model tokens used, by reasoner operation and kind (input, output, cache_read, cache_write).",
      labelNames: ["operation", "kind"] as const,
    }),
    duration: histogram(registry, {
      name: "casemesh_model_request_duration_seconds",
      help: "Time for one model request, including the SDK's transport retries, by operation and outcome.",
      labelNames: ["operation", "outcome"] as const,
      buckets: MODEL_LATENCY_BUCKETS,
    }),
  };
}

/** Token counts of one response, as the Messages API reports them. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null | undefined;
  cache_creation_input_tokens?: number | null | undefined;
}

/** Adds one response's token counts to the counters. */
export function countTokens(metrics: ModelMetrics, operation: ReasonerOperation, usage: TokenUsage): void {
  const add = (kind: TokenKind, n: number | null | undefined) => {
    if (typeof n === "number" && n > 0) metrics.tokens.inc({ operation, kind }, n);
  };
  add("input", usage.input_tokens);
  add("output", usage.output_tokens);
  add("cache_read", usage.cache_read_input_tokens);
  add("cache_write", usage.cache_creation_input_tokens);
}
