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
  /** Where lines go. @default stdout, written synchronously (see createLogger) */
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
  // Stdout is written synchronously: a line is out before the next one (and before a crash), and
  // a reader that went away (npm start killed) turns logging off. pino's default buffers and
  // flushes at exit, and that flush retries a broken pipe forever (sonic-boom 4.2), so a process
  // whose supervisor died could never exit.
  return pino(options, config.destination ?? pino.destination({ dest: 1, sync: true }));
}
