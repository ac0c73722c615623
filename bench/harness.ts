/**
 * Shared scaffolding for the benchmarks in this folder (`bench/blackboard.ts`,
 * `bench/handoff.ts`): stderr progress logging, statistics and rounding
 * helpers, a private nats-server in a temp dir, a blackboard child process,
 * a raw stream shaped like the facts stream, and the run lifecycle: a cleanup
 * registry that runs on normal exit, on failure, on SIGINT / SIGTERM and on an
 * uncaught error, so no server, child process or temp dir outlives a run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { type BlackboardClient, FACTS_STREAM, streamConfigs } from "../blackboard/index.ts";
import { connectNats, DEFAULT_DEDUP_WINDOW_MS, NatsServerProcess } from "../core/index.ts";

/** The repository root: the working directory of spawned child processes. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Process exit code of a run that failed (an error, or a failed check). */
export const EXIT_FAILED = 1;
/** Process exit code of a run stopped by SIGINT or SIGTERM. */
export const EXIT_INTERRUPTED = 130;

/** Replica id the benchmark's blackboard child announces (`CASEMESH_REPLICA_ID`). */
export const BENCH_REPLICA_ID = "bench";
/** Entry point of the blackboard process, relative to {@link REPO_ROOT}. */
export const BLACKBOARD_ENTRY = "blackboard/main.ts";
/** Default time for a spawned blackboard to answer a replicas query. */
export const BLACKBOARD_START_TIMEOUT_MS = 60_000;
/** How long each replicas query waits for answers while polling for the blackboard. */
export const REPLICA_POLL_WAIT_MS = 200;
/** Pause between replicas queries while polling for the blackboard. */
export const REPLICA_POLL_INTERVAL_MS = 100;
/** Time a child process gets to exit after SIGTERM before it is sent SIGKILL. */
export const CHILD_KILL_GRACE_MS = 5_000;

/**
 * A positive integer from the environment variable `name`, or `fallback` when
 * it is unset, empty, or not a positive integer.
 */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Writes one progress line to stderr (stdout is kept for the final JSON line). */
/** Linux reports process times in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const USER_HZ = 100;

/**
 * CPU time (user + system) process `pid` has used so far, in ms, from
 * /proc/<pid>/stat; undefined where there is no such file (not Linux, or the
 * process is gone). Resolution: 10 ms, so compare over seconds of work.
 */
export async function cpuMsOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces; the fields counted from it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** An error's stack (or message), or the thrown value as a string. */
export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Median of `xs` (any order); NaN when empty. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

/** `n` rounded to an integer. */
export const roundInt = (n: number): number => Math.round(n);
/** `n` rounded to 3 decimal places. */
export const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Logs the closing `done in N s` line for a run that began at `began` (a performance.now() reading). */
export function logDone(began: number): void {
  log(`done in ${roundInt((performance.now() - began) / 1000)} s`);
}

/** One step of a {@link BenchRun}'s cleanup. */
export type CleanupStep = () => Promise<unknown>;

/**
 * One benchmark run: the resources it starts (a private nats-server, a
 * blackboard process) and its cleanup registry. Cleanup steps run in reverse
 * order of registration (the last thing started is stopped first), each at
 * most once; a failing step does not keep the others from running.
 */
export class BenchRun {
  readonly #steps: { step: CleanupStep }[] = [];
  #cleaning: Promise<void> | undefined;
  #interrupted = false;

  /** True once SIGINT or SIGTERM was received: failures after that are expected and not reported. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Marks the run as interrupted by a signal. */
  markInterrupted(): void {
    this.#interrupted = true;
  }

  /**
   * Registers a cleanup step. Returns a function that unregisters it, for a
   * resource the benchmark releases itself before the end of the run.
   */
  defer(step: CleanupStep): () => void {
    const entry = { step };
    this.#steps.push(entry);
    return () => {
      const i = this.#steps.indexOf(entry);
      if (i >= 0) this.#steps.splice(i, 1);
    };
  }

  /** Runs the registered steps, last first. Every call returns the same promise. */
  cleanUp(): Promise<void> {
    this.#cleaning ??= (async () => {
      for (const { step } of this.#steps.splice(0).reverse()) {
        try {
          await step();
        } catch {
          // Best effort: the remaining steps still run.
        }
      }
    })();
    return this.#cleaning;
  }

  /**
   * Creates a temp dir, starts a private nats-server with its store in it, logs
   * where, and connects; each is registered for cleanup as soon as it exists.
   */
  async startNats(options: PrivateNatsOptions): Promise<PrivateNats> {
    const root = await mkdtemp(join(tmpdir(), options.tmpPrefix));
    this.defer(() => rm(root, { recursive: true, force: true }));
    const server = await NatsServerProcess.start({ storeDir: join(root, "nats") });
    this.defer(() => server.stop("SIGKILL"));
    log(`nats-server on ${server.url} (store ${root})`);
    const nc = await connectNats({ servers: server.url, name: options.connectionName });
    this.defer(() => nc.close());
    return { root, server, nc };
  }

  /**
   * Spawns a blackboard ({@link spawnBlackboard}), registers it for cleanup,
   * and waits until it answers through `client` ({@link waitForReplica}).
   */
  async startBlackboard(
    client: BlackboardClient,
    natsUrl: string,
    dir: string,
    timeoutMs: number = BLACKBOARD_START_TIMEOUT_MS,
  ): Promise<BlackboardChild> {
    const child = spawnBlackboard(natsUrl, dir);
    const release = this.defer(() => stopChild(child));
    await waitForReplica(client, child, timeoutMs);
    return {
      child,
      stop: async () => {
        await stopChild(child);
        release();
      },
    };
  }
}

/**
 * Installs the process-wide handlers of a run: a closed stdout (e.g. piped
 * into `head`) is ignored so it cannot skip the cleanup; an uncaught exception
 * or unhandled rejection is logged and exits with {@link EXIT_FAILED} after the
 * cleanup (ignored once interrupted: work in flight fails as the connections
 * close, and the signal handler exits); SIGINT and SIGTERM clean up and exit
 * with {@link EXIT_INTERRUPTED}.
 */
export function installProcessHandlers(run: BenchRun): void {
  process.stdout.on("error", () => undefined);
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    process.on(event, (err: unknown) => {
      if (run.interrupted) return;
      log(`bench failed (${event}): ${errorText(err)}`);
      void run.cleanUp().finally(() => process.exit(EXIT_FAILED));
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      run.markInterrupted();
      log(`${signal}: cleaning up`);
      void run.cleanUp().finally(() => process.exit(EXIT_INTERRUPTED));
    });
  }
}

/**
 * Runs a benchmark's `main` under a fresh {@link BenchRun} with the process
 * handlers installed, cleans up, and exits the process: with the code `main`
 * returns (0 when it returns nothing), or {@link EXIT_FAILED} when it throws
 * (logged unless the run was interrupted).
 */
export async function runBench(main: (run: BenchRun) => Promise<number | void>): Promise<never> {
  const run = new BenchRun();
  installProcessHandlers(run);
  let exitCode = 0;
  try {
    const code = await main(run);
    if (typeof code === "number") exitCode = code;
  } catch (err) {
    if (!run.interrupted) log(`bench failed: ${errorText(err)}`);
    exitCode = EXIT_FAILED;
  } finally {
    await run.cleanUp();
  }
  process.exit(exitCode);
}

/** What {@link BenchRun.startNats} started. */
export interface PrivateNats {
  /** The run's temp dir (removed by the cleanup); holds the server's store in `nats/`. */
  root: string;
  /** The private server (SIGKILLed by the cleanup). */
  server: NatsServerProcess;
  /** The benchmark's own connection to it (closed by the cleanup). */
  nc: NatsConnection;
}

/** Options of {@link BenchRun.startNats}. */
export interface PrivateNatsOptions {
  /** Prefix of the temp dir's name, e.g. `casemesh-bench-`. */
  tmpPrefix: string;
  /** Name of the benchmark's NATS connection. */
  connectionName: string;
}

/**
 * Adds stream `name` on `subjects` with the facts stream's settings (storage,
 * retention, dedup window of {@link DEFAULT_DEDUP_WINDOW_MS}), for raw
 * JetStream baselines. Returns the manager, to delete the stream afterwards.
 */
export async function addRawStream(nc: NatsConnection, name: string, subjects: string): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const facts = streamConfigs({ dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS }).find((c) => c.name === FACTS_STREAM);
  if (facts === undefined) throw new Error(`no ${FACTS_STREAM} stream config`);
  await jsm.streams.add({ ...facts, name, subjects: [subjects] });
  return jsm;
}

/** Sends SIGTERM to `child` (SIGKILL after {@link CHILD_KILL_GRACE_MS}) and resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns a blackboard process (replica {@link BENCH_REPLICA_ID}, metrics on a
 * free port, log level warn) against `natsUrl` with its store in `dir`; its
 * output is forwarded to stderr line by line, prefixed `[blackboard] `.
 */
export function spawnBlackboard(natsUrl: string, dir: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", BLACKBOARD_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NATS_URL: natsUrl,
      CASEMESH_BLACKBOARD_DIR: dir,
      CASEMESH_BLACKBOARD_METRICS_PORT: "0",
      LOG_LEVEL: "warn",
      CASEMESH_REPLICA_ID: BENCH_REPLICA_ID,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") log(`[blackboard] ${line}`);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  return child;
}

/**
 * Polls `client.replicas` until replica {@link BENCH_REPLICA_ID} answers.
 * Throws if `child` exits first or `timeoutMs` passes.
 */
export async function waitForReplica(client: BlackboardClient, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the blackboard exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const replicas = await client.replicas({ waitMs: REPLICA_POLL_WAIT_MS }).catch(() => []);
    if (replicas.some((r) => r.replicaId === BENCH_REPLICA_ID)) return;
    await sleep(REPLICA_POLL_INTERVAL_MS);
  }
  throw new Error(`the blackboard did not answer within ${timeoutMs} ms`);
}

/** A blackboard child process started by {@link BenchRun.startBlackboard}. */
export interface BlackboardChild {
  /** The process. */
  readonly child: ChildProcess;
  /** Stops the process and drops it from the run's cleanup. */
  stop(): Promise<void>;
}
