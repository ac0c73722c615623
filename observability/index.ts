/** Logging, metrics and trace context for every casemesh process. */
export { createLogger, REDACTED_PATHS } from "./logger.ts";
export type { Logger, LoggerConfig } from "./logger.ts";
export { createRegistry, serveMetrics } from "./metrics-server.ts";
export type { MetricsServer } from "./metrics-server.ts";
export { redactText, luhnValid, CARD_MASK } from "./redact.ts";
export { newTraceparent, childTraceparent, TRACEPARENT_PATTERN } from "./traceparent.ts";
export { counter, gauge, histogram, LATENCY_BUCKETS } from "./metric-helpers.ts";
export { samples, sumOf } from "./scrape.ts";
export { runProcess, EXIT_CODES, DEFAULT_PROCESS_STOP_GRACE_MS, ReadyMessage } from "./run-process.ts";
export type { ExitCode, ProcessContext, ProcessSpec, StartedProcess } from "./run-process.ts";
