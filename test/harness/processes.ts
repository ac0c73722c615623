import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

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

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
