import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BLACKBOARD_CHILD } from "../bin/child-blackboard.ts";
import { GATEWAY_CHILD } from "../bin/child-gateway.ts";
import { peerChild } from "../bin/child-peers.ts";
import { ChildSupervisor, type ChildSpec } from "../bin/child-supervisor.ts";
import { createLogger } from "../observability/logger.ts";
import { EXIT_CODES } from "../observability/run-process.ts";
import { TEST_CREDENTIALS } from "./harness/gateway.ts";
import { startMesh } from "./harness/mesh.ts";
import { tempDir } from "./harness/nats.ts";
import { spawnTs, type TestProcess } from "./harness/processes.ts";

/**
 * Every entry point is one kind of process (observability/run-process.ts):
 * the same exit codes, the same one-line refusal, the same stop, and
 * readiness told to a supervisor over IPC. Real processes, a real nats-server.
 */

/** An environment with nothing from outside about NATS, casemesh, PEER_ID or a model. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === "NATS_URL" || key === "LOG_LEVEL" || key === "PEER_ID" || key.startsWith("CASEMESH_") || key.startsWith("ANTHROPIC_")) delete env[key];
  }
  return {
    ...env,
    CASEMESH_BLACKBOARD_METRICS_PORT: "0",
    CASEMESH_GATEWAY_METRICS_PORT: "0",
    CASEMESH_PEER_METRICS_PORT: "0",
    CASEMESH_GATEWAY_ADDRESS: "127.0.0.1:0",
    CASEMESH_GATEWAY_CREDENTIALS: JSON.stringify(TEST_CREDENTIALS),
    LOG_LEVEL: "info",
    ...extra,
  };
}

/** Every output line parsed as JSON; fails on one that is not. */
function jsonLines(proc: TestProcess, what: string): Record<string, unknown>[] {
  return proc.lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return assert.fail(`${what}: a line that is not JSON: ${line}`);
    }
  });
}

const PEER_ENTRIES = ["intent", "identity", "account", "billing", "composer", "desk"].map((kind) => `peers/cx/${kind}.ts`);
const ROLES = ["blackboard/main.ts", "gateway/main.ts", ...PEER_ENTRIES, "peers/cx/followup-process.ts"];

/** Runs at most `limit` of `jobs` at once (2 cores, each a tsx start). */
async function inBatches<T>(jobs: (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += limit) results.push(...(await Promise.all(jobs.slice(i, i + limit).map((job) => job()))));
  return results;
}

describe("one way to be a process", async () => {
  const { server } = await startMesh({ name: "process" });
  const dir = await tempDir();

  test("each role started with a bad value exits 2 with one JSON line naming the variable and the problem, no stack trace", async (t) => {
    const cases: { entry: string; variable: string; value: string; problem: RegExp }[] = [
      // Read by every process, through loadConfig.
      ...ROLES.map((entry) => ({ entry, variable: "CASEMESH_LEASE_MS", value: "soon", problem: /must be a number of milliseconds/ })),
      // Each role's own.
      { entry: "blackboard/main.ts", variable: "CASEMESH_REPLICA_ID", value: "no spaces", problem: /may hold letters, digits/ },
      { entry: "gateway/main.ts", variable: "CASEMESH_GATEWAY_MAX_STREAMS", value: "0", problem: /must be at least 1/ },
      ...PEER_ENTRIES.map((entry) => ({ entry, variable: "PEER_ID", value: "two words", problem: /must be 1-64 letters/ })),
      { entry: "peers/cx/followup-process.ts", variable: "CASEMESH_FOLLOWUP_TICK_MS", value: "5", problem: /must be at least 10/ },
    ];
    const results = await inBatches(
      cases.map((c) => async () => {
        const proc = spawnTs(c.entry, cleanEnv({ NATS_URL: server.url, CASEMESH_BLACKBOARD_DIR: dir, [c.variable]: c.value }));
        return { c, proc, code: await proc.exited };
      }),
    );
    for (const { c, proc, code } of results) {
      const what = `${c.entry} with ${c.variable}=${c.value}`;
      assert.equal(code, EXIT_CODES.config, `${what}: exit ${code}; output:\n${proc.lines.join("\n")}`);
      const lines = jsonLines(proc, what);
      assert.equal(lines.length, 1, `${what}: one line, not:\n${proc.lines.join("\n")}`);
      const [line] = lines;
      assert.equal(line?.["level"], "fatal", what);
      assert.equal(line?.["code"], "CONFIG_INVALID", what);
      assert.deepEqual(line?.["variables"], [c.variable], what);
      assert.match(String(line?.["msg"]), new RegExp(`${c.variable}: .*${c.problem.source}`), what);
      assert.deepEqual(line?.["error"], { name: "ConfigError", message: line?.["msg"] }, what);
      assert.doesNotMatch(proc.lines.join("\n"), /\n\s+at |\.ts:\d+:\d+/, `${what}: no stack trace`);
    }
    t.diagnostic(`${results.length} refusals from ${ROLES.length} entry points`);
  });

  test("NATS_URL unset is a bad configuration too (2); NATS unreachable is a failure to start (1): one line each", async () => {
    const run = (entry: string, want: number, env: NodeJS.ProcessEnv) => async () => {
      const proc = spawnTs(entry, cleanEnv({ CASEMESH_BLACKBOARD_DIR: dir, ...env }));
      return { entry, want, proc, code: await proc.exited };
    };
    const runs = await inBatches(
      ["blackboard/main.ts", "gateway/main.ts", "peers/cx/intent.ts"].flatMap((entry) => [
        run(entry, EXIT_CODES.config, {}),
        run(entry, EXIT_CODES.failed, { NATS_URL: "nats://127.0.0.1:1" }),
      ]),
    );
    for (const { entry, want, proc, code } of runs) {
      assert.equal(code, want, `${entry}:\n${proc.lines.join("\n")}`);
      const lines = jsonLines(proc, entry);
      assert.equal(lines.length, 1, `${entry}:\n${proc.lines.join("\n")}`);
      if (want === EXIT_CODES.config) assert.deepEqual(lines[0]?.["variables"], ["NATS_URL"]);
      else assert.match(String(lines[0]?.["msg"]), /did not start: cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
    }
  });

  test("SIGTERM stops each role, which exits 0", async () => {
    const roles: { entry: string; ready: string; env: NodeJS.ProcessEnv }[] = [
      { entry: "blackboard/main.ts", ready: "blackboard ready", env: { CASEMESH_BLACKBOARD_DIR: await tempDir(), CASEMESH_REPLICA_ID: "process-bb" } },
      { entry: "gateway/main.ts", ready: "gateway ready", env: { CASEMESH_GATEWAY_ID: "process-gw" } },
      { entry: "peers/cx/intent.ts", ready: "peers ready", env: { PEER_ID: "intent-process", CASEMESH_HOST_ID: "process-intent" } },
      { entry: "peers/cx/followup-process.ts", ready: "peers ready", env: { CASEMESH_FOLLOWUP_PEER_ID: "followup-process", CASEMESH_HOST_ID: "process-followup" } },
    ];
    for (const role of roles) {
      const proc = spawnTs(role.entry, cleanEnv({ NATS_URL: server.url, ...role.env }));
      await proc.waitForLog((l) => l["msg"] === role.ready, 30_000);
      proc.kill("SIGTERM");
      assert.equal(await proc.exited, EXIT_CODES.ok, `${role.entry}:\n${proc.lines.slice(-5).join("\n")}`);
      assert.ok(proc.lines.some((l) => l.includes('"signal":"SIGTERM"')), `${role.entry} says why it stops`);
    }
  });

  test("a stop that hangs past its grace exits 130; so does a second signal, at once", async () => {
    const hung = spawnTs("test/fixtures/stuck-process.ts", cleanEnv({ TEST_STOP_GRACE_MS: "300" }));
    await hung.waitForLog((l) => l["msg"] === "stuck ready");
    hung.kill("SIGTERM");
    assert.equal(await hung.exited, EXIT_CODES.forced);
    assert.ok(hung.lines.some((l) => l.includes("did not stop within 300 ms")), hung.lines.join("\n"));

    const twice = spawnTs("test/fixtures/stuck-process.ts", cleanEnv({ TEST_STOP_GRACE_MS: "60000" }));
    await twice.waitForLog((l) => l["msg"] === "stuck ready");
    twice.kill("SIGTERM");
    await twice.waitForLog((l) => l["msg"] === "stuck stopping");
    const at = Date.now();
    twice.kill("SIGINT");
    assert.equal(await twice.exited, EXIT_CODES.forced);
    assert.ok(Date.now() - at < 5_000, "the second signal does not wait for the grace");
  });

  test("a failed start and an error thrown later are one JSON line with the error's name and message, and exit 1", async () => {
    for (const [when, name, message] of [
      ["start", "RangeError", "the fixture was told to fail"],
      ["later", "TypeError", "the fixture broke after it was ready"],
    ] as const) {
      const proc = spawnTs("test/fixtures/stuck-process.ts", cleanEnv({ TEST_THROW: when, LOG_LEVEL: "warn" }));
      assert.equal(await proc.exited, EXIT_CODES.failed, proc.lines.join("\n"));
      const lines = jsonLines(proc, when);
      assert.equal(lines.length, 1, proc.lines.join("\n"));
      assert.equal(lines[0]?.["level"], "fatal");
      assert.deepEqual(lines[0]?.["error"], { name, message });
      assert.doesNotMatch(proc.lines.join("\n"), /\n\s+at /);
    }
  });

  test("a supervised child is ready when its IPC message arrives, even at LOG_LEVEL=silent", async () => {
    const logger = createLogger({ role: "test", level: "silent" });
    const supervise = async <R extends { pid: number }>(spec: ChildSpec<R>, env: NodeJS.ProcessEnv): Promise<{ ready: R; child: ChildSupervisor<R> }> => {
      const child = new ChildSupervisor<R>({ ...spec, env: cleanEnv({ NATS_URL: server.url, ...env }), logLevel: "silent", logger, onReady: () => undefined, readyTimeoutMs: 30_000 });
      const ready = await child.start();
      assert.ok(ready !== undefined, `${spec.name} ready`);
      return { ready, child };
    };
    const blackboard = await supervise(BLACKBOARD_CHILD, { CASEMESH_BLACKBOARD_DIR: await tempDir(), CASEMESH_REPLICA_ID: "ipc-bb" });
    assert.equal((await fetch(blackboard.ready.metricsUrl)).status, 200, "the message names the blackboard's /metrics");
    const gateway = await supervise(GATEWAY_CHILD, { CASEMESH_GATEWAY_ID: "ipc-gw" });
    assert.match(gateway.ready.address, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(gateway.ready.address, "127.0.0.1:0", "the message names the port picked");
    const copy = { kind: "intent", peerId: "intent-ipc", hostId: "ipc-intent" } as const;
    const peer = await supervise(peerChild(copy), { PEER_ID: copy.peerId, CASEMESH_HOST_ID: copy.hostId });
    assert.deepEqual(peer.ready.peers, ["intent-ipc"]);
    assert.equal(peer.ready.hostId, "ipc-intent");
    for (const { child } of [peer, gateway, blackboard]) {
      const pid = child.pid;
      await child.stop();
      assert.ok(pid !== undefined);
      assert.throws(() => process.kill(pid, 0), "the child stopped");
    }
  });
});
