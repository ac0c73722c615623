import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { TEST_CREDENTIALS } from "./gateway.ts";
import { TEST_HEARTBEAT_MS, TEST_LEASE_MS } from "./mesh.ts";

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A casemesh process started by a test, with its JSON log lines collected. */
export interface TestProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first parsed log line for which `match` is true. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs `node --import tsx <script>` from the repo root; it is killed after the suite. */
export function spawnTs(script: string, env: NodeJS.ProcessEnv): TestProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, script)], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffered = "";
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const line of parts) if (line.trim() !== "") lines.push(line);
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  const waitForLog = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        for (const line of lines) {
          const parsed = parseJson(line);
          if (parsed !== undefined && match(parsed)) {
            cleanup();
            resolve(parsed);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line within ${timeoutMs} ms; last lines:\n${lines.slice(-10).join("\n")}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`process exited before the log line appeared; last lines:\n${lines.slice(-10).join("\n")}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off("exit", onExit);
      };
      listeners.add(check);
      child.once("exit", onExit);
      check();
    });

  return { child, lines, waitForLog, exited, kill: (signal) => child.kill(signal) };
}

/** Starts `blackboard/main.ts` as its own process and waits until it is ready. */
export async function spawnBlackboard(options: { natsUrl: string; dir: string; replicaId: string }): Promise<TestProcess> {
  const proc = spawnTs("blackboard/main.ts", {
    ...process.env,
    NATS_URL: options.natsUrl,
    CASEMESH_BLACKBOARD_DIR: options.dir,
    CASEMESH_BLACKBOARD_METRICS_PORT: "0",
    CASEMESH_REPLICA_ID: options.replicaId,
    LOG_LEVEL: "info",
  });
  await proc.waitForLog((l) => l["msg"] === "blackboard ready", 30_000);
  return proc;
}

/** What a test gateway process is started with. */
export interface GatewayProcessOptions {
  natsUrl: string;
  gatewayId: string;
  /** host:port for gRPC. @default "127.0.0.1:0" (the ready line names the port picked) */
  address?: string;
  /** Variables added to, or (when undefined) removed from, the gateway's environment: TLS files, LOG_LEVEL, ... */
  env?: NodeJS.ProcessEnv;
}

/** A gateway process that logged "gateway ready". */
export interface GatewayProcess extends TestProcess {
  /** host:port it serves gRPC on. */
  readonly address: string;
  /** `http://host:port/metrics` */
  readonly metricsUrl: string;
}

/**
 * The environment of a test gateway process: NATS_URL, the test credentials
 * (harness/gateway.ts TOKENS), a free metrics port, info logs; `options.env`
 * last, so a test can add TLS files or take the credentials away.
 */
export function gatewayEnv(options: GatewayProcessOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NATS_URL: options.natsUrl,
    CASEMESH_GATEWAY_ADDRESS: options.address ?? "127.0.0.1:0",
    CASEMESH_GATEWAY_METRICS_PORT: "0",
    CASEMESH_GATEWAY_CREDENTIALS: JSON.stringify(TEST_CREDENTIALS),
    CASEMESH_GATEWAY_CREDENTIALS_FILE: undefined,
    CASEMESH_GATEWAY_ID: options.gatewayId,
    LOG_LEVEL: "info",
    ...options.env,
  };
}

/** Starts `gateway/main.ts` as its own process and waits until it is ready; killed after the suite. */
export async function spawnGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const proc = spawnTs("gateway/main.ts", gatewayEnv(options));
  const ready = await proc.waitForLog((l) => l["msg"] === "gateway ready", 30_000);
  const address = ready["address"];
  const metricsUrl = ready["metrics"];
  if (typeof address !== "string" || typeof metricsUrl !== "string") throw new Error(`"gateway ready" names no address or metrics url: ${JSON.stringify(ready)}`);
  return { ...proc, address, metricsUrl };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment of a peer process in a test: its NATS server, test lease
 * timings, a free /metrics port, info logs, and (when given) its host id.
 */
export function peerEnv(natsUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NATS_URL: natsUrl,
    CASEMESH_LEASE_MS: String(TEST_LEASE_MS),
    CASEMESH_HEARTBEAT_MS: String(TEST_HEARTBEAT_MS),
    CASEMESH_PEER_METRICS_PORT: "0",
    LOG_LEVEL: "info",
    ...extra,
  };
}

/** Starts a peer process (`script` runs runPeers) and waits for its "peers ready" line. */
export async function spawnPeer(script: string, natsUrl: string, extra: Record<string, string> = {}): Promise<TestProcess> {
  const proc = spawnTs(script, peerEnv(natsUrl, extra));
  await proc.waitForLog((l) => l["msg"] === "peers ready", 30_000);
  return proc;
}
