import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import type { NatsConnection } from "nats";
import { NatsServerProcess } from "../../core/nats-server.ts";
import { connectNats } from "../../core/nats-connect.ts";

/**
 * Test fixtures against real things. Every helper registers its own cleanup
 * with node:test's `after`, so a failing test still stops its server and
 * removes its folders.
 */

/** A fresh temporary folder, removed after the suite. */
export async function tempDir(prefix = "casemesh-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A private nats-server with JetStream on a random port and a temporary store.
 * Stop and restart it mid-test with `server.stop()` / `server.restart()`.
 */
export async function startNats(options: { monitor?: boolean } = {}): Promise<NatsServerProcess> {
  const storeDir = await tempDir("casemesh-nats-");
  const server = await NatsServerProcess.start({ storeDir, monitor: options.monitor ?? false });
  after(() => server.stop("SIGKILL"));
  return server;
}

/** A client connection to `server` that reconnects forever; closed after the suite. */
export async function connectTo(server: NatsServerProcess, name = "test"): Promise<NatsConnection> {
  const nc = await connectNats({ servers: server.url, name });
  after(() => nc.close());
  return nc;
}
