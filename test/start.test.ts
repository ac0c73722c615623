import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import type { QueryResult } from "../blackboard/query-protocol.ts";
import { PEER_KIND_NAMES } from "../bin/child-peers.ts";
import { scaleVar } from "../bin/peer-scale.ts";
import { CasemeshError } from "../core/errors.ts";
import { jetStreamAnswers } from "../core/nats-connect.ts";
import type { Timeline__Output as Timeline } from "../gateway/generated/casemesh/v1/Timeline.ts";
import { TEST_SOURCE, caseOpened, message } from "./harness/facts.ts";
import { TEST_CREDENTIALS, TOKENS, call, channelClient } from "./harness/gateway.ts";
import { connectTo, startNats, tempDir } from "./harness/nats.ts";
import { eventually } from "./harness/wait.ts";

/**
 * `npm start` (bin/start.ts) run as a user would run it: a real process, a
 * real nats-server, real blackboard, gateway and peer children.
 */

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `npm start` with its output collected. */
interface Casemesh {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Exit>;
  /** Waits until stdout (after `from` characters) matches `pattern`; returns the match. */
  waitForStdout(pattern: RegExp, timeoutMs: number, from?: number): Promise<RegExpExecArray>;
}

/** The reference peer kinds `npm start` runs, in the order it lists them. */
const PEER_KINDS = ["intent", "identity", "account", "billing", "composer", "followup", "desk"];

/**
 * A controlled environment: nothing from the outside about NATS, casemesh or
 * a model (the peers reason with rules), free metrics ports, and the gateway
 * on a free loopback port. The peers are off (CASEMESH_SCALE_<KIND>=0) unless
 * `peers` is set: seven more processes take seconds to start, and most tests
 * are about the blackboard and the gateway.
 */
async function baseEnv(dataDir: string, extra: Record<string, string>, options: { peers?: boolean } = {}): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === "NATS_URL" || key === "LOG_LEVEL" || key === "PEER_ID" || key.startsWith("CASEMESH_") || key.startsWith("ANTHROPIC_")) delete env[key];
  }
  const noPeers = options.peers === true ? {} : Object.fromEntries(PEER_KIND_NAMES.map((kind) => [scaleVar(kind), "0"]));
  return {
    ...env,
    CASEMESH_DATA_DIR: dataDir,
    CASEMESH_BLACKBOARD_METRICS_PORT: "0",
    CASEMESH_GATEWAY_ADDRESS: `127.0.0.1:${await freePort()}`,
    CASEMESH_GATEWAY_METRICS_PORT: "0",
    LOG_LEVEL: "info",
    ...noPeers,
    ...extra,
  };
}

/** Pids of the processes started for a test (found by its unique data folder). */
async function processesOf(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [cmdline, environ] = await Promise.all([
      readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => ""),
      readFile(`/proc/${entry}/environ`, "utf8").catch(() => ""),
    ]);
    if (cmdline.includes(marker) || environ.includes(`=${marker}\0`)) pids.push(Number(entry));
  }
  return pids;
}

/** Kills, by pid, any process started for this test. */
async function killLeftovers(marker: string): Promise<void> {
  for (const pid of await processesOf(marker)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

function startCasemesh(t: TestContext, env: NodeJS.ProcessEnv): Casemesh {
  const child = spawn(process.execPath, ["--import", "tsx", "bin/start.ts"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const marker = env["CASEMESH_DATA_DIR"];
  t.after(async () => {
    if (exit === undefined) {
      child.kill("SIGKILL");
      await exited;
    }
    if (marker !== undefined) await killLeftovers(marker);
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    async waitForStdout(pattern, timeoutMs, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stdout.slice(from));
        if (match !== null) return match;
        if (exit !== undefined || Date.now() > deadline) {
          const why = exit === undefined ? `not seen within ${timeoutMs} ms` : `process exited (${exit.code ?? exit.signal})`;
          assert.fail(`${pattern} ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
        }
        await sleep(POLL_MS);
      }
    },
  };
}

/** Resolves with the exit, or fails after `timeoutMs`. */
async function exitWithin(run: Casemesh, timeoutMs: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms\n${run.stdout}\n${run.stderr}`)), timeoutMs);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === "object");
  return address.port;
}

/** The children's JSON log lines with message `msg`, in order. */
function logLines(stdout: string, msg: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record["msg"] === msg);
}

/** The pids of the children's ready log lines with message `msg` ("blackboard ready", "gateway ready"), in order. */
function readyPids(stdout: string, msg: string): number[] {
  return logLines(stdout, msg).flatMap((record) => (typeof record["pid"] === "number" ? [record["pid"]] : []));
}

/** The copies on `npm start`'s `peers` line for `kind`: peer id, pid and /metrics URL. */
function peersLine(stdout: string, kind: string): { peerId: string; pid: number; metricsUrl: string }[] {
  const line = new RegExp(`^casemesh: peers (${kind}-\\d+ .*)$`, "m").exec(stdout)?.[1];
  assert.ok(line !== undefined, `a peers line for ${kind} in\n${stdout}`);
  const copies = [...line.matchAll(/([\w-]+) \(pid (\d+), metrics (http:\/\/\S+)\)/g)].map((m) => ({
    peerId: m[1] ?? "",
    pid: Number(m[2]),
    metricsUrl: m[3] ?? "",
  }));
  assert.ok(copies.length > 0, `copies on the ${kind} line: ${line}`);
  return copies;
}

/** A process's environment variable, read from /proc. */
async function environOf(pid: number, name: string): Promise<string | undefined> {
  const environ = await readFile(`/proc/${pid}/environ`, "utf8");
  return environ
    .split("\0")
    .find((entry) => entry.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

/** A TCP listener on a free loopback port, closed after the test: the port stays taken. */
async function occupyPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  return address.port;
}

/** The secret of development credential `id`, read from `npm start`'s dev credentials file. */
async function devCredential(file: string, id: string): Promise<string> {
  const content = JSON.parse(await readFile(file, "utf8")) as { credentials: { id: string; credential: string }[] };
  const found = content.credentials.find((c) => c.id === id);
  assert.ok(found !== undefined, `${file} holds ${id}`);
  return found.credential;
}

/** Sends a chat message through the gateway at `address`; resolves with the case id. */
async function sendChat(address: string, credential: string, clientMessageId: string): Promise<string> {
  const client = channelClient(address);
  const req = { channel: "CHAT" as const, address: "start-user-1", text: "hello through npm start", client_message_id: clientMessageId };
  // A client reaching a gateway that just restarted may still be backing off: wait until it connects.
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (err) => (err === undefined || err === null ? resolve() : reject(err))));
  const sent = await call(client, "send", req, credential);
  assert.equal(sent.accepted, true);
  assert.match(sent.case_id, /\S/);
  return sent.case_id;
}

/** Polls GetTimeline of `caseId` until `done` holds; fails with the fact kinds seen after `timeoutMs`. */
async function timelineWhen(
  client: ReturnType<typeof channelClient>,
  credential: string,
  caseId: string,
  done: (timeline: Timeline) => boolean,
  timeoutMs: number,
): Promise<Timeline> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const timeline = await call(client, "getTimeline", { case_id: caseId }, credential);
    if (done(timeline)) return timeline;
    if (Date.now() > deadline) assert.fail(`case ${caseId} not there within ${timeoutMs} ms; facts: ${timeline.facts.map((f) => f.kind).join(", ")}`);
    await sleep(200);
  }
}

/** Reads a case at `minSeq`, retrying while no blackboard replica answers. */
async function readCase(client: BlackboardClient, caseId: string, minSeq: number, timeoutMs: number): Promise<QueryResult<"case.get">> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await client.getCase({ caseId, minSeq, waitMs: 2_000 });
    } catch (err) {
      // No replica answering yet, or not caught up yet: both are retryable.
      if (!(err instanceof CasemeshError && err.retryable) || Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** `text` as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("with NATS_URL it uses that server, serves metrics, projects facts, passes the operator's gateway credentials through and stops on Ctrl-C", async (t) => {
  const server = await startNats();
  const nc = await connectTo(server);
  const dataDir = await tempDir();
  const env = await baseEnv(dataDir, { NATS_URL: server.url, LOG_LEVEL: "warn", CASEMESH_GATEWAY_CREDENTIALS: JSON.stringify(TEST_CREDENTIALS) });
  const run = startCasemesh(t, env);

  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.match(run.stdout, new RegExp(`casemesh: .*${literal(server.url)}.*using NATS_URL`));
  // The operator's gateway credentials pass through; no development ones are made.
  assert.match(run.stdout, /^casemesh: gateway credentials from CASEMESH_GATEWAY_CREDENTIALS$/m);
  await assert.rejects(stat(join(dataDir, "dev-credentials.json")), { code: "ENOENT" });
  await sendChat(env["CASEMESH_GATEWAY_ADDRESS"] ?? "", TOKENS.chat, "start-a-0");
  const metricsUrl = (await run.waitForStdout(/casemesh: blackboard metrics (http:\/\/\S+)/, 0))[1];
  assert.ok(metricsUrl !== undefined);
  assert.match(run.stdout, new RegExp(`casemesh: blackboard folder ${literal(join(dataDir, "blackboard"))}$`, "m"));
  // LOG_LEVEL=warn: the blackboard's info lines are not passed through.
  assert.doesNotMatch(run.stdout, /"level":"info"/);

  const response = await fetch(metricsUrl);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /casemesh_blackboard_applied_sequence/);

  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const caseId = "start-a-1";
  await writer.append(caseOpened(caseId));
  const last = await writer.append(message(caseId, "hello from the start test"));
  const read = await readCase(new BlackboardClient(nc), caseId, last.seq, 15_000);
  assert.deepEqual(
    read.facts.map((f) => f.fact.kind),
    ["case.opened", "message.received"],
  );
  assert.equal(read.case.lastSeq, last.seq);

  run.child.kill("SIGINT");
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(run.stdout, /casemesh: stopped/);
  // The harness server was not ours to stop.
  assert.equal(await jetStreamAnswers(server.url), true);
});

test("without NATS_URL it starts its own nats-server under the data folder and stops it", async (t) => {
  const dataDir = await tempDir();
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const run = startCasemesh(t, await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(port) }));

  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.match(run.stdout, new RegExp(`casemesh: .*${literal(url)}.*started a local nats-server, store ${literal(join(dataDir, "nats"))}`));
  assert.ok((await stat(join(dataDir, "nats"))).isDirectory());
  assert.ok((await stat(join(dataDir, "nats", "jetstream"))).isDirectory());
  assert.equal(await jetStreamAnswers(url), true);

  run.child.kill("SIGINT");
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(run.stdout, /casemesh: stopped/);
  assert.equal(await jetStreamAnswers(url), false);
});

test("without NATS_URL it uses a server already answering on the local port, and leaves it running", async (t) => {
  const server = await startNats();
  const dataDir = await tempDir();
  const run = startCasemesh(t, await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(server.port) }));

  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.match(run.stdout, new RegExp(`casemesh: .*using the server already running at ${literal(server.url)}`));
  assert.doesNotMatch(run.stdout, /started a local nats-server/);

  run.child.kill("SIGTERM");
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(run.stdout, /casemesh: stopped/);
  assert.equal(await jetStreamAnswers(server.url), true);
});

test("at LOG_LEVEL=silent npm start still sees each child ready (it tells over IPC, not in a log line): the summary names where they serve", async (t) => {
  const server = await startNats();
  const dataDir = await tempDir();
  const env = await baseEnv(dataDir, { NATS_URL: server.url, LOG_LEVEL: "silent", CASEMESH_SCALE_INTENT: "1", CASEMESH_GATEWAY_CREDENTIALS: JSON.stringify(TEST_CREDENTIALS) });
  const run = startCasemesh(t, env);
  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.doesNotMatch(run.stdout, /^\{/m, "no child logged a line");
  // The children themselves run at silent: no ready line exists to be read.
  const children = (await processesOf(dataDir)).filter((pid) => pid !== run.child.pid);
  assert.equal(children.length, 3, "the blackboard, the gateway and intent-1");
  for (const pid of children) {
    const environ = (await readFile(`/proc/${pid}/environ`, "utf8")).split("\0");
    assert.ok(environ.includes("LOG_LEVEL=silent"), `child ${pid} runs at LOG_LEVEL=silent`);
  }
  const metricsUrl = (await run.waitForStdout(/casemesh: blackboard metrics (http:\/\/\S+)/, 0))[1];
  assert.equal((await fetch(metricsUrl ?? "")).status, 200);
  assert.match(run.stdout, new RegExp(`^casemesh: gateway ${literal(env["CASEMESH_GATEWAY_ADDRESS"] ?? "")}$`, "m"));
  const [intent] = peersLine(run.stdout, "intent");
  assert.equal(intent?.peerId, "intent-1");
  assert.equal((await fetch(intent?.metricsUrl ?? "")).status, 200);
  await sendChat(env["CASEMESH_GATEWAY_ADDRESS"] ?? "", TOKENS.chat, "start-silent-1");

  run.child.kill("SIGINT");
  assert.deepEqual(await exitWithin(run, STOP_TIMEOUT_MS), { code: 0, signal: null });
  assert.deepEqual(await processesOf(dataDir), [], "no process of this start is left");
});

test("a bad configuration value exits with code 2 and names the variable", async (t) => {
  const dataDir = await tempDir();
  const port = await freePort();
  const run = startCasemesh(
    t,
    await baseEnv(dataDir, { CASEMESH_BLACKBOARD_METRICS_PORT: "notaport", CASEMESH_LOCAL_NATS_PORT: String(port) }),
  );
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 2, signal: null });
  assert.match(run.stderr, /CASEMESH_BLACKBOARD_METRICS_PORT/);
  assert.doesNotMatch(run.stdout, /casemesh: ready/);
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${port}`), false);
});

test("a bad CASEMESH_SCALE_<KIND> exits with code 2 and names the variable, as does one that names no peer kind", async (t) => {
  const dataDir = await tempDir();
  const port = await freePort();
  const run = startCasemesh(
    t,
    await baseEnv(dataDir, { CASEMESH_SCALE_INTENT: "x", CASEMESH_SCALE_BILING: "2", CASEMESH_LOCAL_NATS_PORT: String(port) }, { peers: true }),
  );
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 2, signal: null });
  assert.match(run.stderr, /CASEMESH_SCALE_INTENT: CASEMESH_SCALE_INTENT must be a whole number of copies/);
  assert.match(run.stderr, /CASEMESH_SCALE_BILING: names no peer kind \(CASEMESH_SCALE_INTENT, .*CASEMESH_SCALE_BILLING, /);
  assert.doesNotMatch(run.stdout, /casemesh: ready/);
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${port}`), false, "nothing was started");
});

test("a killed blackboard is restarted and projects facts written while it was down", async (t) => {
  const server = await startNats();
  const nc = await connectTo(server);
  const dataDir = await tempDir();
  const run = startCasemesh(t, await baseEnv(dataDir, { NATS_URL: server.url, LOG_LEVEL: "info" }));
  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);

  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const client = new BlackboardClient(nc);
  const caseId = "start-d-1";
  const opened = await writer.append(caseOpened(caseId));
  await readCase(client, caseId, opened.seq, 15_000);

  const [firstPid] = readyPids(run.stdout, "blackboard ready");
  assert.ok(firstPid !== undefined, "the blackboard logs a ready line with its pid");
  const mark = run.stdout.length;
  process.kill(firstPid, "SIGKILL");
  await run.waitForStdout(/casemesh: the blackboard was killed by SIGKILL; restarting it in 0\.5 s/, 10_000, mark);

  const later = await writer.append(message(caseId, "written while the blackboard restarts"));
  const read = await readCase(client, caseId, later.seq, 30_000);
  assert.deepEqual(
    read.facts.map((f) => f.seq),
    [opened.seq, later.seq],
  );
  assert.equal(read.case.lastSeq, later.seq);

  await run.waitForStdout(/casemesh: the blackboard is running again \(pid \d+, restart 1\)/, 10_000, mark);
  const pids = readyPids(run.stdout, "blackboard ready");
  assert.equal(pids.length, 2);
  assert.notEqual(pids[1], firstPid);
  assert.equal(isAlive(firstPid), false);

  run.child.kill("SIGINT");
  const exit = await exitWithin(run, STOP_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(run.stdout, /casemesh: stopped/);
  const second = pids[1];
  assert.ok(second !== undefined && !isAlive(second), "the restarted blackboard stopped too");
});

test("npm start runs the gateway with dev credentials: a client sends, a killed gateway comes back, the 0600 file is reused, Ctrl-C leaves nothing", async (t) => {
  const dataDir = await tempDir();
  const natsPort = await freePort();
  const env = await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(natsPort) });
  const address = env["CASEMESH_GATEWAY_ADDRESS"] ?? "";
  const file = join(dataDir, "dev-credentials.json");

  const first = startCasemesh(t, env);
  await first.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.match(first.stdout, new RegExp(`^casemesh: gateway ${literal(address)}$`, "m"));
  assert.match(first.stdout, new RegExp(`^casemesh: gateway dev credentials ${literal(file)} \\(dev-chat, dev-voice, dev-email, dev-self_service, dev-desk, dev-operator; made now\\)$`, "m"));
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const secrets = (JSON.parse(await readFile(file, "utf8")) as { credentials: { credential: string }[] }).credentials.map((c) => c.credential);
  assert.equal(new Set(secrets).size, 6);
  const hashes = await readFile(join(dataDir, "dev-credentials.hashes.json"), "utf8");
  for (const secret of secrets) {
    assert.ok(!first.stdout.includes(secret) && !first.stderr.includes(secret) && !hashes.includes(secret), "no secret is printed or handed to the gateway");
  }

  const chat = await devCredential(file, "dev-chat");
  await sendChat(address, chat, "start-g-1");
  const metricsUrl = (await first.waitForStdout(/^casemesh: gateway metrics (http:\/\/\S+)$/m, 0))[1];
  assert.ok(metricsUrl !== undefined);
  const metrics = await fetch(metricsUrl);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /casemesh_gateway_requests_total\{[^}]*method="Send"/);

  // kill -9 the gateway: it is restarted and answers again.
  const [firstPid] = readyPids(first.stdout, "gateway ready");
  assert.ok(firstPid !== undefined, "the gateway logs a ready line with its pid");
  const mark = first.stdout.length;
  process.kill(firstPid, "SIGKILL");
  await first.waitForStdout(/casemesh: the gateway was killed by SIGKILL; restarting it in 0\.5 s/, 10_000, mark);
  await first.waitForStdout(/casemesh: the gateway is running again \(pid \d+, restart 1\)/, 15_000, mark);
  const pids = readyPids(first.stdout, "gateway ready");
  assert.equal(pids.length, 2);
  assert.notEqual(pids[1], firstPid);
  assert.equal(isAlive(firstPid), false);
  await sendChat(address, chat, "start-g-2");

  first.child.kill("SIGINT");
  assert.deepEqual(await exitWithin(first, STOP_TIMEOUT_MS), { code: 0, signal: null });
  assert.match(first.stdout, /casemesh: stopped/);
  const gatewayStopping = first.stdout.indexOf('"msg":"gateway stopping"');
  const blackboardStopping = first.stdout.indexOf('"msg":"blackboard stopping"');
  assert.ok(gatewayStopping !== -1 && gatewayStopping < blackboardStopping, "the gateway stops before the blackboard");
  assert.deepEqual(await processesOf(dataDir), [], "no process of this start is left");
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${natsPort}`), false);

  // A second start reuses the same secrets.
  const before = await readFile(file, "utf8");
  const second = startCasemesh(t, env);
  await second.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  assert.match(second.stdout, new RegExp(`^casemesh: gateway dev credentials ${literal(file)} \\([^;]*\\)$`, "m"));
  assert.equal(await readFile(file, "utf8"), before, "the same secrets are reused");
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  await sendChat(address, chat, "start-g-3");

  second.child.kill("SIGINT");
  assert.deepEqual(await exitWithin(second, STOP_TIMEOUT_MS), { code: 0, signal: null });
  assert.deepEqual(await processesOf(dataDir), []);
});

test("a gateway address already in use stops npm start with code 2, naming the address, without restarts", async (t) => {
  const dataDir = await tempDir();
  const natsPort = await freePort();
  const taken = `127.0.0.1:${await occupyPort(t)}`;
  const run = startCasemesh(t, await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(natsPort), CASEMESH_GATEWAY_ADDRESS: taken }));

  const exit = await exitWithin(run, READY_TIMEOUT_MS);
  assert.deepEqual(exit, { code: 2, signal: null });
  assert.match(run.stderr, new RegExp(`casemesh: the gateway exited with code 2 \\(bad configuration\\) before it was ready: .*${literal(taken)}`));
  assert.doesNotMatch(run.stdout, /casemesh: ready/);
  assert.doesNotMatch(run.stdout, /casemesh: the gateway .*restarting it in/);
  assert.deepEqual(await processesOf(dataDir), []);
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${natsPort}`), false);
});

test("a dev credentials file that is not one stops npm start with code 2 and is not echoed", async (t) => {
  const dataDir = await tempDir();
  const file = join(dataDir, "dev-credentials.json");
  await writeFile(file, '{"credentials": [{"id": "dev-chat", "credential": "cm_do-not-print-me"}]}\n', { mode: 0o600 });
  const natsPort = await freePort();
  const run = startCasemesh(t, await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(natsPort) }));

  assert.deepEqual(await exitWithin(run, STOP_TIMEOUT_MS), { code: 2, signal: null });
  assert.match(run.stderr, new RegExp(`casemesh: invalid configuration: ${literal(file)} at credentials\\.0\\.channels: .*delete it`));
  assert.ok(!run.stdout.includes("do-not-print-me") && !run.stderr.includes("do-not-print-me"));
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${natsPort}`), false);
});

test("with the defaults npm start runs every reference peer as its own process: the sample customer's chat message is answered (a code goes to her registered e-mail), and Ctrl-C stops the peers first and leaves nothing", async (t) => {
  const dataDir = await tempDir();
  const natsPort = await freePort();
  const env = await baseEnv(dataDir, { CASEMESH_LOCAL_NATS_PORT: String(natsPort) }, { peers: true });
  const startedAt = Date.now();
  const run = startCasemesh(t, env);
  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  t.diagnostic(`ready, every peer included, ${Date.now() - startedAt} ms after npm start`);

  const printed = PEER_KINDS.map((kind) => peersLine(run.stdout, kind));
  assert.deepEqual(
    printed.map((copies) => copies.map((c) => c.peerId)),
    PEER_KINDS.map((kind) => [`${kind}-1`]),
  );
  const peerPids = printed.flat().map((c) => c.pid);
  assert.equal(new Set(peerPids).size, PEER_KINDS.length, "each peer is a process of its own");
  for (const pid of peerPids) assert.ok(isAlive(pid), `peer pid ${pid} is alive`);

  // A real client, a dev credential, the sample customer: the mesh answers on its own.
  const client = channelClient(env["CASEMESH_GATEWAY_ADDRESS"] ?? "");
  const chat = await devCredential(join(dataDir, "dev-credentials.json"), "dev-chat");
  // Who served each step is the operator's to read: a chat credential sees only the conversation.
  const operator = await devCredential(join(dataDir, "dev-credentials.json"), "dev-operator");
  const sentAt = Date.now();
  const sent = await call(client, "send", { channel: "CHAT", address: "chat-ada", text: "I was charged twice for my October bill", client_message_id: "start-p-1" }, chat);
  const chatReply = (tl: { facts: { kind: string; channel: string; data_json: string }[] }) => tl.facts.find((f) => f.kind === "reply.drafted" && f.channel === "CHAT");
  const timeline = await timelineWhen(client, operator, sent.case_id, (tl) => chatReply(tl) !== undefined, 20_000);
  t.diagnostic(`reply drafted ${Date.now() - sentAt} ms after Send`);
  const reply = JSON.parse(chatReply(timeline)?.data_json ?? "{}") as { text?: unknown };
  // Writing from her registered chat id is a claim on her account, not proof: a code goes to the account's e-mail first.
  assert.match(String(reply.text), /^Hi, .*code to the e-mail address registered on it/);
  const servedBy = Object.fromEntries(timeline.handoffs.map((h) => [h.to_capability, h.peer]));
  assert.deepEqual(
    ["intent", "identity.verify", "reply"].map((capability) => servedBy[capability]),
    ["intent-1", "identity-1", "composer-1"],
  );
  assert.equal(timeline.facts.filter((f) => f.kind === "account.loaded").length, 0, "nothing of the account before it is proved");
  // A peer's log lines pass through like the blackboard's.
  await run.waitForStdout(/^\{[^\n]*"role":"intent"[^\n]*"msg":"message classified"\}$/m, 5_000);

  run.child.kill("SIGINT");
  assert.deepEqual(await exitWithin(run, STOP_TIMEOUT_MS), { code: 0, signal: null });
  assert.match(run.stdout, /casemesh: stopped/);
  const drained = logLines(run.stdout, "drained; exiting").map((l) => l["role"]);
  assert.deepEqual([...drained].sort(), [...PEER_KINDS].sort(), "every peer drained and exited");
  const lastDrained = run.stdout.lastIndexOf('"msg":"drained; exiting"');
  const gatewayStopping = run.stdout.indexOf('"msg":"gateway stopping"');
  assert.ok(lastDrained !== -1 && lastDrained < gatewayStopping, "the peers stop before the gateway");
  for (const pid of peerPids) assert.equal(isAlive(pid), false, `peer pid ${pid} is gone`);
  assert.deepEqual(await processesOf(dataDir), [], "no process of this start is left");
  assert.equal(await jetStreamAnswers(`nats://127.0.0.1:${natsPort}`), false);
});

test("npm start killed with -9 leaves nothing running: its blackboard, gateway and peers see it gone and stop by themselves", async (t) => {
  const server = await startNats();
  const dataDir = await tempDir();
  const env = await baseEnv(dataDir, { NATS_URL: server.url, LOG_LEVEL: "warn", CASEMESH_DRAIN_GRACE_MS: "1000" }, { peers: true });
  const run = startCasemesh(t, env);
  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);
  const children = (await processesOf(dataDir)).filter((pid) => pid !== run.child.pid);
  const described = async (pids: number[]) =>
    (await Promise.all(pids.map(async (pid) => `${pid}: ${(await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).replaceAll("\0", " ")}`))).join("\n");
  assert.equal(children.length, 2 + PEER_KINDS.length, `the blackboard, the gateway and a process per peer kind:\n${await described(children)}\n--- npm start said ---\n${run.stdout}`);

  run.child.kill("SIGKILL");
  await run.exited;
  const killedAt = Date.now();
  // Nobody signals them: each learns from its closed channel that npm start is gone.
  await eventually("every child of npm start to stop", async () => ((await processesOf(dataDir)).length === 0 ? true : undefined), STOP_TIMEOUT_MS).catch(
    async (err: unknown) => {
      throw new Error(`${String(err)}; still running:\n${await described(await processesOf(dataDir))}\n--- npm start said ---\n${run.stdout}`);
    },
  );
  t.diagnostic(`${children.length} children gone ${Date.now() - killedAt} ms after kill -9 of npm start`);
});

test("npm start killed with -9 while its children are still starting leaves nothing running either", async (t) => {
  const server = await startNats();
  const dataDir = await tempDir();
  const env = await baseEnv(dataDir, { NATS_URL: server.url, LOG_LEVEL: "warn", CASEMESH_DRAIN_GRACE_MS: "1000" }, { peers: true });
  const run = startCasemesh(t, env);
  // The first child has been spawned; it takes seconds to start, so it learns of the kill before it is ready.
  const starting = await eventually("npm start to spawn a child", async () => {
    const children = (await processesOf(dataDir)).filter((pid) => pid !== run.child.pid);
    return children.length > 0 ? children : undefined;
  }, READY_TIMEOUT_MS, 5);
  run.child.kill("SIGKILL");
  await run.exited;
  assert.doesNotMatch(run.stdout, /casemesh: ready/, "killed before it was ready");
  await eventually("every child of npm start to stop", async () => ((await processesOf(dataDir)).length === 0 ? true : undefined), STOP_TIMEOUT_MS);
  t.diagnostic(`${starting.length} starting child(ren) stopped by themselves`);
});

test("CASEMESH_SCALE_BILLING=2 runs billing-1 and billing-2 as two processes on two hosts, a kind at 0 is off, a killed copy comes back as itself, and at LOG_LEVEL=warn the peers' info lines are held back", async (t) => {
  const dataDir = await tempDir();
  const natsPort = await freePort();
  const off = Object.fromEntries(PEER_KINDS.map((kind) => [`CASEMESH_SCALE_${kind.toUpperCase()}`, "0"]));
  const env = await baseEnv(dataDir, { ...off, CASEMESH_SCALE_BILLING: "2", CASEMESH_LOCAL_NATS_PORT: String(natsPort), LOG_LEVEL: "warn" }, { peers: true });
  const run = startCasemesh(t, env);
  await run.waitForStdout(/casemesh: ready/, READY_TIMEOUT_MS);

  const billing = peersLine(run.stdout, "billing");
  assert.deepEqual(
    billing.map((c) => c.peerId),
    ["billing-1", "billing-2"],
  );
  assert.notEqual(billing[0]?.pid, billing[1]?.pid);
  const hosts = await Promise.all(billing.map((c) => environOf(c.pid, "CASEMESH_HOST_ID")));
  assert.match(hosts[0] ?? "", /-billing-1$/);
  assert.match(hosts[1] ?? "", /-billing-2$/);
  for (const copy of billing) {
    assert.ok(isAlive(copy.pid));
    const metrics = await fetch(copy.metricsUrl);
    assert.equal(metrics.status, 200, `${copy.peerId} serves /metrics`);
    assert.match(await metrics.text(), /casemesh_handoffs_total/);
  }
  assert.notEqual(billing[0]?.metricsUrl, billing[1]?.metricsUrl);
  for (const kind of PEER_KINDS.filter((k) => k !== "billing")) {
    assert.match(run.stdout, new RegExp(`^casemesh: peers ${kind}: none \\(CASEMESH_SCALE_${kind.toUpperCase()}=0\\)$`, "m"));
  }
  assert.doesNotMatch(run.stdout, /"level":"info"/, "the peers' ready lines were read, not passed through");

  // kill -9 one copy: it comes back under its peer id and host id, the other runs on.
  const [first, second] = billing;
  assert.ok(first !== undefined && second !== undefined);
  const mark = run.stdout.length;
  process.kill(second.pid, "SIGKILL");
  await run.waitForStdout(/casemesh: the peer billing-2 was killed by SIGKILL; restarting it in 0\.5 s/, 10_000, mark);
  const back = await run.waitForStdout(/casemesh: the peer billing-2 is running again \(pid (\d+), restart 1\), metrics http:\/\/\S+$/m, 15_000, mark);
  const reborn = Number(back[1]);
  assert.equal(await environOf(reborn, "CASEMESH_HOST_ID"), hosts[1]);
  assert.ok(isAlive(first.pid), "billing-1 was not touched");

  run.child.kill("SIGINT");
  assert.deepEqual(await exitWithin(run, STOP_TIMEOUT_MS), { code: 0, signal: null });
  for (const pid of [first.pid, reborn]) assert.equal(isAlive(pid), false);
  assert.deepEqual(await processesOf(dataDir), []);
});
