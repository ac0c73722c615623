/**
 * `npm start`: runs casemesh on one machine. It finds NATS (NATS_URL, a server
 * already running on the local port, or a nats-server it starts itself),
 * starts the blackboard, then the gRPC gateway, then every reference peer
 * (CASEMESH_SCALE_<KIND> copies of each, in parallel) as child processes and
 * keeps them running, and stops everything it started on Ctrl-C (SIGINT) or
 * SIGTERM: the peers first, then the gateway, the blackboard, the nats-server.
 *
 * The children's JSON log lines pass through to stdout/stderr; lines of its
 * own start with `casemesh: ` and are meant for people.
 */
import { pathToFileURL } from "node:url";
import { readSharedClockOffset } from "../blackboard/index.ts";
import { createLogger, EXIT_CODES } from "../observability/index.ts";
import { BLACKBOARD_CHILD, type BlackboardReady } from "./child-blackboard.ts";
import { GATEWAY_CHILD, type GatewayReady } from "./child-gateway.ts";
import { PEER_KIND_NAMES, peerChild, peerEnv, type PeerCopy, type PeersReady } from "./child-peers.ts";
import { ChildSupervisor, DEFAULT_STOP_GRACE_MS, PINO_LEVELS, type ChildSpec, type SupervisedChild } from "./child-supervisor.ts";
import { ensureDevCredentials, type DevCredentials } from "./dev-credentials.ts";
import { removeRunningMeshSync, writeRunningMesh } from "./running-mesh.ts";
import { StartupError, chooseNats, describeNats, type NatsChoice } from "./nats-choice.ts";
import { loadPeerScale, planPeers, scaleVar } from "./peer-scale.ts";
import { say, sayError } from "./say.ts";
import { type Config, ConfigError, connectNats, loadConfig, type NatsServerProcess, onSupervisorGone } from "../core/index.ts";

/** Exit code for a bad configuration (EXIT_CODES, observability/run-process.ts, is the table). */
export const EXIT_CONFIG = EXIT_CODES.config;
/** Exit code for anything else that kept casemesh from starting. */
export const EXIT_FAILURE = EXIT_CODES.failed;
/** Exit code when a second Ctrl-C forces the exit. */
export const EXIT_FORCED = EXIT_CODES.forced;

/**
 * The `npm start` command. Resolves only on a startup failure; a started
 * casemesh runs until SIGINT or SIGTERM and then exits the process.
 */
export async function main(): Promise<void> {
  let config: Config;
  let peerCopies: PeerCopy[];
  try {
    config = loadConfig();
    peerCopies = planPeers(loadPeerScale(), config.peers.hostId);
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
  /** The supervised children by stage, in start order: the stages stop in reverse, a stage's children together. */
  const stages: SupervisedChild[][] = [];
  let shuttingDown = false;

  // Last resort: never leave a child behind when this process exits.
  process.on("exit", () => {
    for (const child of stages.flat()) child.killNow();
    const pid = spawnedServer?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  const stopChildren = async (): Promise<void> => {
    for (const stage of [...stages].reverse()) await Promise.all(stage.map((child) => child.stop(DEFAULT_STOP_GRACE_MS)));
  };

  const shutdown = async (signal: NodeJS.Signals | "supervisor gone"): Promise<void> => {
    if (shuttingDown) {
      sayError(`${signal} again: forcing exit`);
      process.exit(EXIT_FORCED);
    }
    shuttingDown = true;
    say(`stopping (${signal}); press Ctrl-C again to force`);
    logger.info({ signal }, "stopping");
    await stopChildren();
    const choice = await natsStarting?.catch(() => undefined);
    if (choice?.origin === "spawned") await choice.server.stop();
    say("stopped");
    process.exit(EXIT_CODES.ok);
  };
  // A second signal forces the exit, so every one is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
  onSupervisorGone(() => void shutdown("supervisor gone"));

  const fail = async (err: unknown): Promise<void> => {
    const message = err instanceof Error ? err.message : String(err);
    const exitCode =
      err instanceof StartupError ? (err.exitCode ?? EXIT_FAILURE) : err instanceof ConfigError ? EXIT_CONFIG : EXIT_FAILURE;
    sayError(message);
    if (shuttingDown) return; // the shutdown in progress exits
    shuttingDown = true;
    await stopChildren();
    await spawnedServer?.stop();
    process.exit(exitCode);
  };

  /** Adds a stage of children, stopped after the stages started later. */
  const newStage = (): SupervisedChild[] => {
    const stage: SupervisedChild[] = [];
    stages.push(stage);
    return stage;
  };

  /**
   * Starts a supervised child in `stage` (a new stage of its own by default);
   * resolves once it is first ready (undefined when stopping). `where`
   * describes where it serves, to say when a restart moved it.
   */
  const startChild = <R extends { pid: number }>(
    spec: ChildSpec<R>,
    env: NodeJS.ProcessEnv,
    where: (ready: R) => string,
    stage: SupervisedChild[] = newStage(),
  ): Promise<R | undefined> => {
    let shown: string | undefined;
    const child = new ChildSupervisor<R>({
      ...spec,
      env,
      logLevel: config.logLevel,
      logger,
      onReady: (ready, restarts) => {
        const now = where(ready);
        if (restarts > 0) {
          const moved = now === shown ? "" : `, ${now}`;
          say(`the ${spec.name} is running again (pid ${ready.pid}, restart ${restarts})${moved}`);
        }
        shown = now;
      },
    });
    stage.push(child);
    return child.start();
  };

  // Development credentials for the gateway, unless the operator gave some.
  let devCredentials: DevCredentials | undefined;
  if (config.gateway.credentials === undefined) {
    try {
      devCredentials = await ensureDevCredentials(config.dataDir);
    } catch (err) {
      return fail(err);
    }
  }

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

  // The local mesh runs on the shared clock unless the operator chose: `npm run demo` moves it to "tomorrow".
  const meshClock = process.env["CASEMESH_CLOCK"] === "system" ? "system" : "shared";
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NATS_URL: nats.url, CASEMESH_CLOCK: meshClock };
  // One identity across restarts, unless the operator chose one.
  const blackboardEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    CASEMESH_REPLICA_ID: process.env["CASEMESH_REPLICA_ID"] || config.blackboard.replicaId,
  };
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    CASEMESH_GATEWAY_ID: process.env["CASEMESH_GATEWAY_ID"] || config.gateway.gatewayId,
    ...(devCredentials === undefined ? {} : { CASEMESH_GATEWAY_CREDENTIALS_FILE: devCredentials.hashesFile }),
  };

  let blackboard: BlackboardReady | undefined;
  let gateway: GatewayReady | undefined;
  let peers: (PeersReady | undefined)[];
  try {
    blackboard = await startChild(BLACKBOARD_CHILD, blackboardEnv, (r) => `metrics now at ${r.metricsUrl}`);
    if (blackboard === undefined || shuttingDown) return;
    // After the blackboard: the gateway reads cases from it.
    gateway = await startChild(GATEWAY_CHILD, gatewayEnv, (r) => `now at ${r.address}, metrics ${r.metricsUrl}`);
    if (gateway === undefined || shuttingDown) return;
    // After the gateway, all at once: they serve the needs its messages open.
    const peerStage = newStage();
    peers = await Promise.all(
      peerCopies.map((copy) => startChild(peerChild(copy), peerEnv(copy, baseEnv), (r) => `metrics ${r.metricsUrl}`, peerStage)),
    );
    if (shuttingDown) return;
  } catch (err) {
    return fail(err);
  }

  say(describeNats(nats));
  say(`blackboard metrics ${blackboard.metricsUrl}`);
  say(`blackboard folder ${blackboard.dir}`);
  say(`gateway ${gateway.address}${config.gateway.tls === undefined ? "" : " (TLS)"}`);
  say(`gateway metrics ${gateway.metricsUrl}`);
  say(describeCredentials(config, devCredentials));
  for (const line of describePeers(peerCopies, peers)) say(line);
  say(await describeClock(meshClock, nats.url));
  try {
    const file = await writeRunningMesh(config.dataDir, {
      pid: process.pid,
      nats: nats.url,
      gateway: gateway.address,
      tls: config.gateway.tls !== undefined,
      credentialsFile: devCredentials?.file ?? null,
      clock: meshClock,
      metrics: [
        { name: "blackboard", url: blackboard.metricsUrl },
        { name: "gateway", url: gateway.metricsUrl },
        ...peerCopies.flatMap((copy, i) => {
          const r = peers[i];
          return r === undefined ? [] : [{ name: copy.peerId, url: r.metricsUrl }];
        }),
      ],
      startedAt: new Date().toISOString(),
    });
    process.on("exit", () => removeRunningMeshSync(file, process.pid));
  } catch (err) {
    sayError(`cannot write the running-mesh file (npm run demo will not find this mesh): ${err instanceof Error ? err.message : String(err)}`);
  }
  say("ready. Press Ctrl-C to stop.");
}

/** One line per peer kind: its copies with pid and /metrics, or that it is off. */
function describePeers(copies: PeerCopy[], ready: (PeersReady | undefined)[]): string[] {
  return PEER_KIND_NAMES.map((kind) => {
    const running = copies.flatMap((copy, i) => {
      const r = ready[i];
      return copy.kind === kind && r !== undefined ? [`${copy.peerId} (pid ${r.pid}, metrics ${r.metricsUrl})`] : [];
    });
    return running.length > 0 ? `peers ${running.join(", ")}` : `peers ${kind}: none (${scaleVar(kind)}=0)`;
  });
}

/** The mesh clock, for the summary. */
async function describeClock(kind: "system" | "shared", natsUrl: string): Promise<string> {
  if (kind === "system") return "mesh clock: the wall clock (CASEMESH_CLOCK=system)";
  let ahead: string;
  try {
    const nc = await connectNats({ servers: natsUrl, name: "start-clock" });
    try {
      const offsetMs = await readSharedClockOffset(nc);
      ahead = offsetMs === 0 ? "on the wall clock" : `${(offsetMs / 3_600_000).toFixed(1)} h ahead of the wall clock`;
    } finally {
      await nc.close();
    }
  } catch (err) {
    // Only the summary line depends on it: the mesh runs either way.
    ahead = `offset unknown (${err instanceof Error ? err.message : String(err)})`;
  }
  return `mesh clock: shared, ${ahead} (npm run demo moves it forward; CASEMESH_CLOCK=system turns it off)`;
}

/** Where the gateway's credentials come from, for the summary; never a secret. */
function describeCredentials(config: Config, dev: DevCredentials | undefined): string {
  if (dev !== undefined) {
    const ids = dev.credentials.map((c) => c.id).join(", ");
    return `gateway dev credentials ${dev.file} (${ids}${dev.created ? "; made now" : ""})`;
  }
  const source = config.gateway.credentials;
  return source !== undefined && "file" in source
    ? `gateway credentials ${source.file} (CASEMESH_GATEWAY_CREDENTIALS_FILE)`
    : "gateway credentials from CASEMESH_GATEWAY_CREDENTIALS";
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  main().catch((err: unknown) => {
    sayError(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(EXIT_FAILURE);
  });
}
