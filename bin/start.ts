/**
 * `npm start`: runs casemesh on one machine. It finds NATS (NATS_URL, a server
 * already running on the local port, or a nats-server it starts itself),
 * starts the blackboard as a child process and keeps it running, and stops
 * everything it started on Ctrl-C (SIGINT) or SIGTERM.
 *
 * The blackboard's JSON log lines pass through to stdout/stderr; lines of
 * its own start with `casemesh: ` and are meant for people.
 */
import { pathToFileURL } from "node:url";
import { loadConfig, type Config } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import type { NatsServerProcess } from "../core/nats-server.ts";
import { createLogger } from "../observability/logger.ts";
import {
  BlackboardSupervisor,
  DEFAULT_STOP_GRACE_MS,
  PINO_LEVELS,
  type BlackboardReady,
} from "./blackboard-supervisor.ts";
import { StartupError, chooseNats, describeNats, type NatsChoice } from "./nats-choice.ts";
import { say, sayError } from "./say.ts";

/** Exit code for a bad configuration. */
export const EXIT_CONFIG = 2;
/** Exit code for anything else that kept casemesh from starting. */
export const EXIT_FAILURE = 1;
/** Exit code when a second Ctrl-C forces the exit. */
export const EXIT_FORCED = 130;

/**
 * The `npm start` command. Resolves only on a startup failure; a started
 * casemesh runs until SIGINT or SIGTERM and then exits the process.
 */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      sayError(err.message);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
  const logger = createLogger({ role: "start", level: config.logLevel });

  let natsStarting: Promise<NatsChoice> | undefined;
  let spawnedServer: NatsServerProcess | undefined;
  let supervisor: BlackboardSupervisor | undefined;
  let shuttingDown = false;

  // Last resort: never leave a child behind when this process exits.
  process.on("exit", () => {
    supervisor?.killNow();
    const pid = spawnedServer?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) {
      sayError(`${signal} again: forcing exit`);
      process.exit(EXIT_FORCED);
    }
    shuttingDown = true;
    say(`stopping (${signal}); press Ctrl-C again to force`);
    logger.info({ signal }, "stopping");
    await supervisor?.stop(DEFAULT_STOP_GRACE_MS);
    const choice = await natsStarting?.catch(() => undefined);
    if (choice?.origin === "spawned") await choice.server.stop();
    say("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void shutdown(signal));
  }

  const fail = async (err: unknown): Promise<void> => {
    const message = err instanceof Error ? err.message : String(err);
    const exitCode = err instanceof StartupError ? (err.exitCode ?? EXIT_FAILURE) : EXIT_FAILURE;
    sayError(message);
    if (shuttingDown) return; // the shutdown in progress exits
    shuttingDown = true;
    await supervisor?.stop(DEFAULT_STOP_GRACE_MS);
    await spawnedServer?.stop();
    process.exit(exitCode);
  };

  const debugNats = PINO_LEVELS[config.logLevel] <= PINO_LEVELS.debug;
  natsStarting = chooseNats(config, debugNats ? (line) => process.stderr.write(`nats-server: ${line}\n`) : undefined);
  let nats: NatsChoice;
  try {
    nats = await natsStarting;
  } catch (err) {
    return fail(err);
  }
  if (nats.origin === "spawned") spawnedServer = nats.server;
  if (shuttingDown) return;
  logger.info({ nats: nats.url, origin: nats.origin }, "nats chosen");

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: nats.url,
    // One identity across restarts, unless the operator chose one.
    CASEMESH_REPLICA_ID: process.env["CASEMESH_REPLICA_ID"] || config.blackboard.replicaId,
  };
  let shownMetricsUrl: string | undefined;
  supervisor = new BlackboardSupervisor({
    env: childEnv,
    logLevel: config.logLevel,
    logger,
    onReady: (ready, restarts) => {
      if (restarts === 0) return;
      const moved = ready.metricsUrl === shownMetricsUrl ? "" : `, metrics now at ${ready.metricsUrl}`;
      shownMetricsUrl = ready.metricsUrl;
      say(`the blackboard is running again (pid ${ready.pid}, restart ${restarts})${moved}`);
    },
  });
  let ready: BlackboardReady | undefined;
  try {
    ready = await supervisor.start();
  } catch (err) {
    return fail(err);
  }
  if (ready === undefined || shuttingDown) return;
  shownMetricsUrl = ready.metricsUrl;

  say(describeNats(nats));
  say(`blackboard metrics ${ready.metricsUrl}`);
  say(`blackboard folder ${ready.dir}`);
  say("ready. Press Ctrl-C to stop.");
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  main().catch((err: unknown) => {
    sayError(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(EXIT_FAILURE);
  });
}
