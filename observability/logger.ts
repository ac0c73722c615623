import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { redactText } from "./redact.ts";

export type { Logger } from "pino";

/**
 * Field paths whose values never reach a log line: credentials, message text
 * and fact payloads (which can hold personal data).
 */
export const REDACTED_PATHS: readonly string[] = [
  "password",
  "token",
  "credential",
  "authorization",
  "*.password",
  "*.token",
  "*.credential",
  "*.authorization",
  "text",
  "*.text",
  "data",
  "*.data",
];

export interface LoggerConfig {
  /** The process role, e.g. `blackboard`; goes on every line as `role`. */
  role: string;
  level?: LoggerOptions["level"];
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/**
 * Creates the JSON logger of a process. Child loggers add `caseId`, `needId`,
 * `peerId`. Known sensitive fields are censored, and card numbers or national
 * ids inside the message string are masked.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? "info",
    base: { role: config.role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === "string" ? redactText(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
    formatters: { level: (label) => ({ level: label }) },
  };
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}
