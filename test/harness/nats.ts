import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import type { NatsConnection } from "@nats-io/transport-node";
import { NatsServerProcess } from "../../core/nats-server.ts";
import { connectNats } from "../../core/nats-connect.ts";

/**
 * Test fixtures against real things. Every helper registers its own cleanup
 * with node:test's `after`, so a failing test still stops its server and
 * removes its folders.
 */

/** Removes a temporary folder, retrying while a process that just died still holds it. */
function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** A fresh temporary folder, removed after the suite. */
export async function tempDir(prefix = "casemesh-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => removeDir(dir));
  return dir;
}

/**
 * A private nats-server with JetStream on a random port and a temporary store.
 * Stop and restart it mid-test with `server.stop()` / `server.restart()`.
 */
export async function startNats(options: { monitor?: boolean } = {}): Promise<NatsServerProcess> {
  const storeDir = await mkdtemp(join(tmpdir(), "casemesh-nats-"));
  const server = await NatsServerProcess.start({ storeDir, monitor: options.monitor ?? false }).catch(async (err: unknown) => {
    await removeDir(storeDir);
    throw err;
  });
  // Stopped before its store is removed: a live server writes into the folder being deleted.
  after(async () => {
    await server.stop("SIGKILL");
    await removeDir(storeDir);
  });
  return server;
}

/** A client connection to `server` that reconnects forever; closed after the suite. */
export async function connectTo(server: NatsServerProcess, name = "test"): Promise<NatsConnection> {
  const nc = await connectNats({ servers: server.url, name });
  after(() => nc.close());
  return nc;
}
