/**
 * A casemesh process (the blackboard, the gateway, ...) as a child of
 * `npm start`: started with an IPC channel, ready when it sends its ready
 * message on it (runProcess in observability/run-process.ts), restarted with
 * backoff when it exits unexpectedly, and stopped on request. Its JSON log
 * lines pass through, at the operator's LOG_LEVEL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { backoffMs, type Config } from "../core/index.ts";
import { EXIT_CODES, type Logger } from "../observability/index.ts";
import { StartupError } from "./nats-choice.ts";
import { say, sayError } from "./say.ts";

/** How long a stopping child may take after SIGTERM before it is killed. */
export const DEFAULT_STOP_GRACE_MS = 10_000;
/** The wait before the first restart of a child that exited unexpectedly. */
export const RESTART_BACKOFF_INITIAL_MS = 500;
/** The longest wait between restarts; the wait doubles up to this. */
export const RESTART_BACKOFF_MAX_MS = 10_000;
/** Restarts of a child that keeps exiting: 0.5 s, doubling, at most 10 s apart. */
const RESTART_BACKOFF = { initialMs: RESTART_BACKOFF_INITIAL_MS, maxMs: RESTART_BACKOFF_MAX_MS };
/** A child that ran this long after becoming ready resets the backoff. */
export const RESTART_BACKOFF_RESET_MS = 30_000;
/** How long one child start may take before it counts as failed and is killed. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** Failed starts in a row, before the child was ever ready, after which `npm start` gives up. */
export const MAX_FAILED_FIRST_STARTS = 5;
/**
 * The exit code with which a casemesh process says its configuration is bad.
 * A child exiting with it before it was ever ready is not restarted: `npm start`
 * fails with the child's message and exits with this code too.
 */
export const CHILD_EXIT_CONFIG = EXIT_CODES.config;
/** The most of a child's stderr kept to explain a failed start. */
const STDERR_TAIL_CHARS = 2_000;

/** Numeric pino levels, to filter a child's lines by LOG_LEVEL. */
export const PINO_LEVELS: Readonly<Record<Config["logLevel"], number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** Which process to run, and how to tell that it is ready. */
export interface ChildSpec<R> {
  /** For people and logs: "blackboard" gives "the blackboard exited with code 1". */
  name: string;
  /** The entry file, run with `node --import tsx`. */
  entry: string;
  /** Reads the child's ready message (an IPC message, see ReadyMessage); undefined for any other message. */
  parseReady: (message: unknown) => R | undefined;
}

/** Options of a {@link ChildSupervisor}. */
export interface ChildSupervisorOptions<R> extends ChildSpec<R> {
  /** The child's environment (NATS_URL included). */
  env: NodeJS.ProcessEnv;
  /** The operator's LOG_LEVEL: the child logs at it, and its stdout lines below it are not passed through. */
  logLevel: Config["logLevel"];
  logger: Logger;
  /** Called each time a child is ready; `restarts` is 0 for the first. */
  onReady: (ready: R, restarts: number) => void;
  /** @default DEFAULT_READY_TIMEOUT_MS */
  readyTimeoutMs?: number;
}

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

/** Reads a child's IPC message with `schema`; undefined for one that does not match. */
export function parseChildMessage<S extends z.ZodType>(schema: S, message: unknown): z.output<S> | undefined {
  const result = schema.safeParse(message);
  return result.success ? result.data : undefined;
}

/** Numeric pino level of a parsed log line (label or number), or undefined. */
function recordLevel(record: Record<string, unknown> | undefined): number | undefined {
  const level = record?.["level"];
  if (typeof level === "number") return level;
  if (typeof level === "string" && level in PINO_LEVELS) return PINO_LEVELS[level as Config["logLevel"]];
  return undefined;
}

/** What `npm start` needs of a supervised child, whatever its ready line. */
export interface SupervisedChild {
  readonly name: string;
  /** Stops the child: SIGTERM, then SIGKILL after `graceMs`. Never restarts it again. */
  stop(graceMs?: number): Promise<void>;
  /** Kills the child at once (forced exit); synchronous, for exit paths. */
  killNow(): void;
}

/**
 * Runs one casemesh process as a child and restarts it with backoff (0.5 s
 * doubling to 10 s) when it exits unexpectedly. Its stdout and stderr pass
 * through; it is ready when its ready message arrives on the IPC channel,
 * whatever its log level (LOG_LEVEL=silent included). The child runs
 * in its own process group, so a terminal's Ctrl-C reaches only `npm start`,
 * which stops its children in order.
 */
export class ChildSupervisor<R> implements SupervisedChild {
  readonly #options: ChildSupervisorOptions<R>;
  readonly #readyTimeoutMs: number;
  /** Lines at or above this level pass through. */
  readonly #forwardLevel: number;
  #child: ChildProcess | undefined;
  #childExited: Promise<void> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #everReady = false;
  #failures = 0;
  #restarts = 0;
  #firstReady: { resolve: (r: R | undefined) => void; reject: (e: Error) => void } | undefined;

  constructor(options: ChildSupervisorOptions<R>) {
    this.#options = options;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.#forwardLevel = PINO_LEVELS[options.logLevel];
  }

  /** The child's name, as in messages. */
  get name(): string {
    return this.#options.name;
  }

  /** Pid of the running child, if any. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Starts the child and resolves once it is first ready (undefined when
   * stopped first). Rejects with {@link StartupError} after
   * {@link MAX_FAILED_FIRST_STARTS} failed starts in a row, or at once when it
   * exits with {@link CHILD_EXIT_CONFIG} before it was ever ready.
   */
  start(): Promise<R | undefined> {
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
      this.#options.logger.warn({ pid: child.pid, graceMs }, `${this.#options.name} did not stop in time; killing it`);
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
    const { name, entry, logger } = this.#options;
    const env: NodeJS.ProcessEnv = { ...this.#options.env, LOG_LEVEL: this.#options.logLevel };
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env,
      // The child sends its ready message on the IPC channel, and stops when
      // it closes, so it does not outlive this supervisor (core/shutdown.ts).
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Its own process group: a terminal Ctrl-C reaches only this supervisor,
      // which then stops its children in order, and the NATS server last.
      detached: true,
    });
    this.#child = child;
    const startedAt = Date.now();
    let readyAt: number | undefined;
    /** Why this start failed, in the child's words: its last fatal line, else its stderr. */
    const said = { fatal: undefined as string | undefined, stderr: "" };
    const readyTimer = setTimeout(() => {
      logger.error({ pid: child.pid, timeoutMs: this.#readyTimeoutMs }, `${name} did not become ready in time`);
      sayError(`the ${name} (pid ${child.pid}) was not ready after ${this.#readyTimeoutMs / 1000} s; killing it`);
      child.kill("SIGKILL");
    }, this.#readyTimeoutMs);

    if (child.stderr !== null) {
      child.stderr.pipe(process.stderr, { end: false });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        if (readyAt === undefined) said.stderr = (said.stderr + chunk).slice(-STDERR_TAIL_CHARS);
      });
    }
    if (child.stdout !== null) {
      const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => {
        const record = parseJsonRecord(line);
        const level = recordLevel(record);
        if (level === undefined || level >= this.#forwardLevel) process.stdout.write(`${line}\n`);
        if (readyAt !== undefined) return;
        if (level !== undefined && level >= PINO_LEVELS.fatal && typeof record?.["msg"] === "string") said.fatal = record["msg"];
      });
    }
    child.on("message", (message: unknown) => {
      if (readyAt !== undefined) return;
      const ready = this.#options.parseReady(message);
      if (ready === undefined) return;
      readyAt = Date.now();
      clearTimeout(readyTimer);
      this.#everReady = true;
      this.#options.onReady(ready, this.#restarts);
      this.#firstReady?.resolve(ready);
      this.#firstReady = undefined;
    });

    this.#childExited = new Promise((resolve) => {
      let done = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(readyTimer);
        if (this.#child === child) this.#child = undefined;
        resolve();
        if (this.#stopping) return;
        const reason = said.fatal ?? lastLines(said.stderr);
        this.#exitedUnexpectedly({ code, signal, error, startedAt, readyAt, reason });
      };
      child.once("exit", (code, signal) => onGone(code, signal));
      child.once("error", (err) => {
        // A spawn failure emits no exit event.
        if (child.pid === undefined) onGone(null, null, err);
      });
    });
  }

  #exitedUnexpectedly(exit: {
    code: number | null;
    signal: NodeJS.Signals | null;
    error: Error | undefined;
    startedAt: number;
    readyAt: number | undefined;
    reason: string | undefined;
  }): void {
    const { name, logger } = this.#options;
    const { code, signal, error, startedAt, readyAt, reason } = exit;
    if (!this.#everReady && code === CHILD_EXIT_CONFIG) {
      logger.error({ code }, `${name} refused its configuration; not restarting it`);
      this.#firstReady?.reject(
        new StartupError(
          `the ${name} exited with code ${code} (bad configuration) before it was ready: ${reason ?? "it gave no reason"}`,
          CHILD_EXIT_CONFIG,
        ),
      );
      this.#firstReady = undefined;
      return;
    }
    if (readyAt !== undefined && Date.now() - readyAt >= RESTART_BACKOFF_RESET_MS) this.#failures = 0;
    this.#failures += 1;
    const how = error !== undefined ? `failed to start (${error.message})` : signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    const ranMs = Date.now() - startedAt;
    if (!this.#everReady && this.#failures >= MAX_FAILED_FIRST_STARTS) {
      logger.error({ code, signal, failures: this.#failures }, `${name} never became ready; giving up`);
      this.#firstReady?.reject(
        new StartupError(`the ${name} ${how}; it failed to start ${this.#failures} times in a row, giving up`),
      );
      this.#firstReady = undefined;
      return;
    }
    const delayMs = backoffMs(RESTART_BACKOFF, this.#failures);
    logger.warn({ code, signal, ranMs, restartInMs: delayMs }, `${name} exited unexpectedly; restarting`);
    say(`the ${name} ${how}; restarting it in ${delayMs / 1000} s`);
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.#restarts += 1;
      this.#spawn();
    }, delayMs);
  }
}

/** The last non-empty lines of `text`, joined by " | "; undefined when there are none. */
function lastLines(text: string, count = 3): string | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.length === 0 ? undefined : lines.slice(-count).join(" | ");
}
