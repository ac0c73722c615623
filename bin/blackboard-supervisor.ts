/**
 * The blackboard as a child process of `npm start`: started, watched for its
 * "blackboard ready" log line, restarted with backoff when it exits
 * unexpectedly, and stopped on request. Its JSON log lines pass through.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Config } from "../core/config.ts";
import type { Logger } from "../observability/logger.ts";
import { StartupError } from "./nats-choice.ts";
import { say, sayError } from "./say.ts";

/** How long a stopping blackboard may take after SIGTERM before it is killed. */
export const DEFAULT_STOP_GRACE_MS = 10_000;
/** The wait before the first restart of a blackboard that exited unexpectedly. */
export const RESTART_BACKOFF_INITIAL_MS = 500;
/** The longest wait between restarts; the wait doubles up to this. */
export const RESTART_BACKOFF_MAX_MS = 10_000;
/** A blackboard that ran this long after becoming ready resets the backoff. */
export const RESTART_BACKOFF_RESET_MS = 30_000;
/** How long one blackboard start may take before it counts as failed and is killed. */
export const DEFAULT_BLACKBOARD_READY_TIMEOUT_MS = 60_000;
/** Failed starts in a row, before the blackboard was ever ready, after which `npm start` gives up. */
export const MAX_FAILED_FIRST_STARTS = 5;
/** The message of the blackboard's log line that says it serves. */
export const BLACKBOARD_READY_MSG = "blackboard ready";

/** The blackboard entry point, run with `node --import tsx`. */
export const BLACKBOARD_ENTRY = fileURLToPath(new URL("../blackboard/main.ts", import.meta.url));

/** Numeric pino levels, to filter the blackboard's lines by LOG_LEVEL. */
export const PINO_LEVELS: Readonly<Record<Config["logLevel"], number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** What a blackboard says when it is ready. */
export interface BlackboardReady {
  pid: number;
  /** `http://host:port/metrics` */
  metricsUrl: string;
  /** The blackboard's level folder. */
  dir: string;
  appliedSeq: number;
}

/** The fields of a "blackboard ready" log line that `npm start` reads. */
const ReadyLineSchema = z.object({
  msg: z.literal(BLACKBOARD_READY_MSG),
  pid: z.number().int(),
  metrics: z.url(),
  dir: z.string(),
  appliedSeq: z.number().int().default(0),
});

/** Parses a JSON log line; undefined when it is not a JSON value starting with `{`. */
function parseJsonLine(line: string): unknown {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses a JSON log line that holds an object; undefined for any other line. */
function parseJsonRecord(line: string): Record<string, unknown> | undefined {
  const parsed = parseJsonLine(line);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/** Reads a "blackboard ready" log line; undefined for any other line. */
export function parseReadyLine(line: string): BlackboardReady | undefined {
  const result = ReadyLineSchema.safeParse(parseJsonLine(line));
  if (!result.success) return undefined;
  const { pid, metrics, dir, appliedSeq } = result.data;
  return { pid, metricsUrl: metrics, dir, appliedSeq };
}

/** Numeric pino level of a JSON log line (label or number), or undefined. */
function lineLevel(line: string): number | undefined {
  const level = parseJsonRecord(line)?.["level"];
  if (typeof level === "number") return level;
  if (typeof level === "string" && level in PINO_LEVELS) return PINO_LEVELS[level as Config["logLevel"]];
  return undefined;
}

/** Options of a {@link BlackboardSupervisor}. */
export interface BlackboardSupervisorOptions {
  /** The child's environment (NATS_URL included). */
  env: NodeJS.ProcessEnv;
  /** The operator's LOG_LEVEL: the child's stdout lines below it are not passed through. */
  logLevel: Config["logLevel"];
  logger: Logger;
  /** Called each time a blackboard child is ready; `restarts` is 0 for the first. */
  onReady: (ready: BlackboardReady, restarts: number) => void;
  /** @default BLACKBOARD_ENTRY */
  entry?: string;
  /** @default DEFAULT_BLACKBOARD_READY_TIMEOUT_MS */
  readyTimeoutMs?: number;
}

/**
 * Runs the blackboard as a child process and restarts it with backoff
 * (0.5 s doubling to 10 s) when it exits unexpectedly. Its stdout and stderr
 * pass through; stdout lines are read to learn when it is ready.
 */
export class BlackboardSupervisor {
  readonly #options: BlackboardSupervisorOptions;
  readonly #entry: string;
  readonly #readyTimeoutMs: number;
  /** Lines at or above this level pass through; the child itself logs at `#childLevel`. */
  readonly #forwardLevel: number;
  readonly #childLevel: Config["logLevel"];
  #child: ChildProcess | undefined;
  #childExited: Promise<void> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #everReady = false;
  #failures = 0;
  #restarts = 0;
  #firstReady: { resolve: (r: BlackboardReady | undefined) => void; reject: (e: Error) => void } | undefined;

  constructor(options: BlackboardSupervisorOptions) {
    this.#options = options;
    this.#entry = options.entry ?? BLACKBOARD_ENTRY;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_BLACKBOARD_READY_TIMEOUT_MS;
    this.#forwardLevel = PINO_LEVELS[options.logLevel];
    // The "blackboard ready" line is an info line: the child logs at least at
    // info so it can be read, and lines the operator did not ask for are dropped.
    this.#childLevel = this.#forwardLevel > PINO_LEVELS.info ? "info" : options.logLevel;
  }

  /** Pid of the running blackboard child, if any. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Starts the blackboard and resolves once it is first ready (undefined when
   * stopped first). Rejects with {@link StartupError} after
   * {@link MAX_FAILED_FIRST_STARTS} failed starts in a row.
   */
  start(): Promise<BlackboardReady | undefined> {
    return new Promise((resolve, reject) => {
      this.#firstReady = { resolve, reject };
      this.#spawn();
    });
  }

  /** Stops the child: SIGTERM, then SIGKILL after `graceMs`. Never restarts it again. */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    this.#firstReady?.resolve(undefined);
    this.#firstReady = undefined;
    const child = this.#child;
    if (child === undefined) return;
    child.kill("SIGTERM");
    const killTimer = setTimeout(() => {
      this.#options.logger.warn({ pid: child.pid, graceMs }, "blackboard did not stop in time; killing it");
      child.kill("SIGKILL");
    }, graceMs);
    await this.#childExited;
    clearTimeout(killTimer);
  }

  /** Kills the child at once (forced exit); synchronous, for exit paths. */
  killNow(): void {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    this.#child?.kill("SIGKILL");
  }

  #spawn(): void {
    const env: NodeJS.ProcessEnv = { ...this.#options.env, LOG_LEVEL: this.#childLevel };
    const child = spawn(process.execPath, ["--import", "tsx", this.#entry], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a terminal Ctrl-C reaches only this supervisor,
      // which then stops the blackboard before the NATS server.
      detached: true,
    });
    this.#child = child;
    const startedAt = Date.now();
    let readyAt: number | undefined;
    const readyTimer = setTimeout(() => {
      this.#options.logger.error({ pid: child.pid, timeoutMs: this.#readyTimeoutMs }, "blackboard did not become ready in time");
      sayError(`the blackboard (pid ${child.pid}) was not ready after ${this.#readyTimeoutMs / 1000} s; killing it`);
      child.kill("SIGKILL");
    }, this.#readyTimeoutMs);

    child.stderr?.pipe(process.stderr, { end: false });
    if (child.stdout !== null) {
      const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => {
        const level = lineLevel(line);
        if (level === undefined || level >= this.#forwardLevel) process.stdout.write(`${line}\n`);
        if (readyAt !== undefined) return;
        const ready = parseReadyLine(line);
        if (ready === undefined) return;
        readyAt = Date.now();
        clearTimeout(readyTimer);
        this.#everReady = true;
        this.#options.onReady(ready, this.#restarts);
        this.#firstReady?.resolve(ready);
        this.#firstReady = undefined;
      });
    }

    this.#childExited = new Promise((resolve) => {
      let done = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(readyTimer);
        if (this.#child === child) this.#child = undefined;
        resolve();
        if (!this.#stopping) this.#exitedUnexpectedly(code, signal, error, startedAt, readyAt);
      };
      child.once("exit", (code, signal) => onGone(code, signal));
      child.once("error", (err) => {
        // A spawn failure emits no exit event.
        if (child.pid === undefined) onGone(null, null, err);
      });
    });
  }

  #exitedUnexpectedly(
    code: number | null,
    signal: NodeJS.Signals | null,
    error: Error | undefined,
    startedAt: number,
    readyAt: number | undefined,
  ): void {
    if (readyAt !== undefined && Date.now() - readyAt >= RESTART_BACKOFF_RESET_MS) this.#failures = 0;
    this.#failures += 1;
    const how = error !== undefined ? `failed to start (${error.message})` : signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    const ranMs = Date.now() - startedAt;
    if (!this.#everReady && this.#failures >= MAX_FAILED_FIRST_STARTS) {
      this.#options.logger.error({ code, signal, failures: this.#failures }, "blackboard never became ready; giving up");
      this.#firstReady?.reject(
        new StartupError(`the blackboard ${how}; it failed to start ${this.#failures} times in a row, giving up`),
      );
      this.#firstReady = undefined;
      return;
    }
    const delayMs = Math.min(RESTART_BACKOFF_INITIAL_MS * 2 ** (this.#failures - 1), RESTART_BACKOFF_MAX_MS);
    this.#options.logger.warn({ code, signal, ranMs, restartInMs: delayMs }, "blackboard exited unexpectedly; restarting");
    say(`the blackboard ${how}; restarting it in ${delayMs / 1000} s`);
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.#restarts += 1;
      this.#spawn();
    }, delayMs);
  }
}
