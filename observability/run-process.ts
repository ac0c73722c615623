/**
 * One way to be a casemesh process. The blackboard, the gateway and every
 * peer process (runPeers) run through {@link runProcess}, which gives them
 * the same life:
 *
 * - the environment is parsed once (loadConfig, then the role's own zod
 *   schemas in `prepare`); a bad value exits {@link EXIT_CODES}.config with
 *   one JSON log line naming the variable and the problem, no stack trace;
 * - a failure to start, or an error nothing caught, is one JSON line (the
 *   error's name and message; its stack too at LOG_LEVEL=debug or trace) and
 *   exits {@link EXIT_CODES}.failed;
 * - once started it logs its ready line for people and, when it has a
 *   supervisor's IPC channel (`npm start`), sends a {@link ReadyMessage} on it;
 * - SIGTERM, SIGINT or the supervisor's channel closing runs its stop and
 *   exits {@link EXIT_CODES}.ok; a second signal, or a stop still running
 *   after its grace, exits {@link EXIT_CODES}.forced at once.
 */
import { z } from "zod";
import { CasemeshError, type Config, loadConfig, onSupervisorGone, STOP_SIGNALS, type StopReason } from "../core/index.ts";
import { createLogger, type Logger } from "./logger.ts";

/**
 * How a casemesh process exits: the one table (README and docs/ link here).
 * `npm start` uses the same codes for itself.
 */
export const EXIT_CODES = Object.freeze({
  /** Stopped as asked (SIGTERM, SIGINT, supervisor gone) and its stop finished. */
  ok: 0,
  /** Did not start for a reason a retry may cure (NATS unreachable), or failed while running. A supervisor restarts it. */
  failed: 1,
  /** Bad configuration: a variable, a file or a port in use. A retry will not help; `npm start` does not restart it. */
  config: 2,
  /** Forced: a second stop signal, or a stop still running after its grace (128 + SIGINT, as a shell reports Ctrl-C). */
  forced: 130,
} as const);

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * How long a process's stop may run before it exits {@link EXIT_CODES}.forced.
 * A supervised child is killed sooner (bin/child-supervisor.ts gives 10 s);
 * this bounds a child whose supervisor is gone, which nobody else will kill.
 */
export const DEFAULT_PROCESS_STOP_GRACE_MS = 30_000;

/**
 * What a process sends its supervisor over the IPC channel once it serves:
 * its role and pid, and the fields of its ready log line (a metrics URL, a
 * gateway address, the peers it hosts). A supervisor parses the fields it
 * needs with its own schema.
 */
export const ReadyMessage = z.looseObject({
  type: z.literal("ready"),
  role: z.string(),
  pid: z.number().int(),
});
export type ReadyMessage = z.infer<typeof ReadyMessage>;

/** What a process has while it starts. */
export interface ProcessContext<P> {
  /** The environment, parsed once. */
  config: Config;
  /** What `prepare` returned. */
  prepared: P;
  /** The process's JSON logger, at LOG_LEVEL. */
  logger: Logger;
}

/** A process that has started. */
export interface StartedProcess<T> {
  /** Fields of the ready log line and of the {@link ReadyMessage}: what a supervisor needs. JSON values only. */
  ready: Readonly<Record<string, unknown>>;
  /** Stops the process's work (drain, close); the process exits 0 once it resolves. */
  stop(reason: StopReason): Promise<void>;
  /** What {@link runProcess} resolves with. */
  value: T;
}

/** What {@link runProcess} runs. */
export interface ProcessSpec<T, P> {
  /** Names the process in logs (`role`) and in the {@link ReadyMessage}. */
  role: string;
  /** The ready log line's message. @default `${role} ready` */
  readyMessage?: string;
  /**
   * Parses the role's own environment and files, after loadConfig and before
   * anything connects; a ConfigError thrown here exits 2.
   */
  prepare?: (env: NodeJS.ProcessEnv, config: Config) => P;
  /** Starts the work; a ConfigError it throws exits 2, any other error 1. */
  start(context: ProcessContext<P>): Promise<StartedProcess<T>>;
  /** @default DEFAULT_PROCESS_STOP_GRACE_MS */
  stopGraceMs?: number | ((config: Config) => number);
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The error's name and message, for a log line (never its stack). */
function describeError(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: typeof err, message: String(err) };
}

function isConfigError(err: unknown): err is CasemeshError & { variables?: readonly string[] } {
  return err instanceof CasemeshError && err.code === "CONFIG_INVALID";
}

/**
 * Runs this process as `spec` says (see the module comment); resolves with
 * the started process's `value` once it is ready. Never resolves when it
 * cannot start: the process exits.
 */
export async function runProcess<T, P = undefined>(spec: ProcessSpec<T, P>): Promise<T> {
  const env = spec.env ?? process.env;
  const { role } = spec;
  // Until the environment is parsed only a refusal is logged, whatever LOG_LEVEL says.
  const logger = createLogger({ role, level: "fatal" });

  const die = (err: unknown, what: string): never => {
    const error = describeError(err);
    if (isConfigError(err)) {
      logger.fatal({ code: err.code, variables: err.variables ?? [], error }, error.message);
      process.exit(EXIT_CODES.config);
    }
    const code = err instanceof CasemeshError ? err.code : "INTERNAL";
    // The stack only when asked for (LOG_LEVEL=debug or trace), and on the same line.
    const stack = err instanceof Error && logger.isLevelEnabled("debug") ? { stack: err.stack } : {};
    logger.fatal({ code, error: { ...error, ...stack } }, `the ${role} ${what}: ${error.message}`);
    process.exit(EXIT_CODES.failed);
  };
  process.on("uncaughtException", (err) => die(err, "failed"));
  process.on("unhandledRejection", (err) => die(err, "failed"));

  let config: Config;
  let prepared: P;
  try {
    config = loadConfig(env);
    prepared = spec.prepare === undefined ? (undefined as P) : spec.prepare(env, config);
  } catch (err) {
    return die(err, "did not start");
  }
  logger.level = config.logLevel;
  const graceMs = typeof spec.stopGraceMs === "function" ? spec.stopGraceMs(config) : (spec.stopGraceMs ?? DEFAULT_PROCESS_STOP_GRACE_MS);

  let stopping = false;
  const stop = (reason: StopReason): void => {
    if (stopping) {
      // Only a person insists; the channel closing while we stop is the supervisor waiting for us.
      if (reason === "supervisor gone") return;
      logger.warn({ signal: reason }, `${reason} again: exiting at once`);
      process.exit(EXIT_CODES.forced);
    }
    stopping = true;
    logger.info({ signal: reason, graceMs }, `${role} stopping`);
    setTimeout(() => {
      logger.error({ graceMs }, `the ${role} did not stop within ${graceMs} ms; exiting`);
      process.exit(EXIT_CODES.forced);
    }, graceMs).unref();
    // A stop asked for while starting waits for the start, then stops what it started.
    void started
      // A start that fails exits on its own (below).
      .then((s) => s.stop(reason), () => new Promise<never>(() => undefined))
      .then(
        () => process.exit(EXIT_CODES.ok),
        (err: unknown) => die(err, "failed to stop"),
      );
  };

  const started = spec.start({ config, prepared, logger });
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  onSupervisorGone(() => stop("supervisor gone"));

  let running: StartedProcess<T>;
  try {
    running = await started;
  } catch (err) {
    return die(err, "did not start");
  }
  if (stopping) return running.value;
  logger.info({ ...running.ready }, spec.readyMessage ?? `${role} ready`);
  if (typeof process.send === "function" && process.connected) {
    const message: ReadyMessage = { ...running.ready, type: "ready", role, pid: process.pid };
    process.send(message, undefined, undefined, (err: Error | null) => {
      if (err !== null) logger.warn({ error: describeError(err) }, "cannot tell the supervisor this process is ready");
    });
  }
  return running.value;
}
