import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, readdir } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { UnavailableError } from "./errors.ts";

/**
 * Runs a local nats-server with JetStream as a child process. `npm start` uses
 * it when no server is configured, and the test harness uses it to get a
 * private server per suite that it can stop and restart mid-test.
 */

/** How long to wait for a spawned server to accept connections. */
export const DEFAULT_NATS_START_TIMEOUT_MS = 15_000;

export interface NatsServerOptions {
  /** Folder for the JetStream store; created if missing. */
  storeDir: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** The executable. @default process.env.NATS_SERVER_BIN ?? "nats-server" */
  bin?: string;
  /** Called with each line the server logs (for debugging). */
  onLog?: (line: string) => void;
  /** Serve the HTTP monitoring endpoints (/varz, ...) on a free port. @default false */
  monitor?: boolean;
}

/** A nats-server child process. */
export class NatsServerProcess {
  readonly host: string;
  readonly storeDir: string;
  readonly #bin: string;
  readonly #onLog: ((line: string) => void) | undefined;
  #port: number;
  #monitorPort: number | undefined;
  readonly #monitor: boolean;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(options: NatsServerOptions) {
    this.host = options.host ?? "127.0.0.1";
    this.storeDir = options.storeDir;
    this.#bin = options.bin ?? process.env["NATS_SERVER_BIN"] ?? "nats-server";
    this.#onLog = options.onLog;
    this.#port = options.port ?? 0;
    this.#monitor = options.monitor ?? false;
  }

  /** Starts a server and resolves once it accepts client connections. */
  static async start(options: NatsServerOptions): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(options);
    await server.#spawn();
    return server;
  }

  /** The port the server listens on (fixed after the first start). */
  get port(): number {
    return this.#port;
  }

  /** `nats://host:port` */
  get url(): string {
    return `nats://${this.host}:${this.#port}`;
  }

  /** `http://host:port` of the monitoring endpoints, when started with `monitor`. */
  get monitorUrl(): string | undefined {
    return this.#monitorPort === undefined ? undefined : `http://${this.host}:${this.#monitorPort}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /**
   * Stops the server. SIGTERM lets it flush its store; SIGKILL is a crash.
   * Resolves when the process has exited.
   */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill(signal);
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.#exited;
    clearTimeout(killTimer);
  }

  /** Starts the server again on the same port with the same store. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  async #spawn(): Promise<void> {
    await mkdir(this.storeDir, { recursive: true });
    const portsDir = join(this.storeDir, ".ports");
    const args = ["-js", "-a", this.host, "-sd", this.storeDir];
    if (this.#port === 0) {
      await mkdir(portsDir, { recursive: true });
      args.push("-p", "-1", "--ports_file_dir", portsDir);
    } else {
      args.push("-p", String(this.#port));
    }
    if (this.#monitor) {
      this.#monitorPort ??= await freePort(this.host);
      args.push("-m", String(this.#monitorPort));
    }
    const child = spawn(this.#bin, args, { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    let ready = false;
    let failed: Error | undefined;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      if (!ready) log += chunk;
      if (log.includes("Server is ready")) ready = true;
      for (const line of chunk.split("\n")) if (line) this.#onLog?.(line);
    });
    child.on("error", (err) => {
      failed = err;
    });
    this.#exited = new Promise((resolve) => {
      child.once("exit", () => {
        if (this.#child === child) this.#child = undefined;
        resolve();
      });
    });
    this.#child = child;

    const deadline = Date.now() + DEFAULT_NATS_START_TIMEOUT_MS;
    while (!ready) {
      if (failed !== undefined || this.#child === undefined) {
        throw new UnavailableError(
          `nats-server did not start (${failed?.message ?? "exited"}): is nats-server >= 2.9 on PATH? ${lastLines(log)}`,
          { cause: failed },
        );
      }
      if (Date.now() > deadline) {
        await this.stop("SIGKILL");
        throw new UnavailableError(`nats-server did not become ready in ${DEFAULT_NATS_START_TIMEOUT_MS} ms: ${lastLines(log)}`);
      }
      await sleep(20);
    }
    if (this.#port === 0) this.#port = await readPortsFile(portsDir, child.pid);
  }
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readPortsFile(dir: string, pid: number | undefined): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const files = await readdir(dir);
    const name = files.find((f) => f.endsWith(`_${pid}.ports`));
    if (name !== undefined) {
      const parsed: unknown = JSON.parse(await readFile(join(dir, name), "utf8"));
      const nats = (parsed as { nats?: unknown }).nats;
      const url = Array.isArray(nats) ? nats[0] : undefined;
      const port = typeof url === "string" ? Number(new URL(url.replace("nats://", "http://")).port) : NaN;
      if (Number.isInteger(port) && port > 0) return port;
    }
    await sleep(20);
  }
  throw new UnavailableError(`nats-server wrote no ports file in ${dir}`);
}

function lastLines(log: string): string {
  return log.trim().split("\n").slice(-3).join(" | ");
}
