/**
 * Blackboard benchmark: `npm run bench:blackboard`.
 *
 * Starts a private nats-server and measures, in one run against one server:
 *  - raw_js_publish_per_s: plain JetStream publishes of a pre-encoded payload
 *    the size of a message.received fact, to a stream with the facts stream's
 *    storage settings, 256 in flight;
 *  - appends_per_s: FactWriter.append of message.received drafts, 256 in flight;
 *  - query_p50_ms / query_p99_ms: sequential getCase of a 200-fact case from a
 *    blackboard running as a separate process.
 * Throughput rounds are interleaved (raw, writer, raw, writer, ...) and the
 * median of each is reported. Progress goes to stderr; the last stdout line is
 * one JSON object with the results. Exits 0 even when a target is missed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { JetStreamClient, NatsConnection } from "nats";
import { BlackboardClient } from "../blackboard/client.ts";
import { streamConfigs } from "../blackboard/streams.ts";
import { FACTS_STREAM, querySubject } from "../blackboard/subjects.ts";
import { FactWriter } from "../blackboard/writer.ts";
import { DEFAULT_DEDUP_WINDOW_MS } from "../core/config.ts";
import { connectNats } from "../core/nats-connect.ts";
import { NatsServerProcess } from "../core/nats-server.ts";
import { TEST_SOURCE, caseOpened, message } from "../test/harness/facts.ts";

const WINDOW = 256;
const WARMUP_MSGS = envInt("BENCH_WARMUP_MSGS", 3_000);
const ROUND_MSGS = envInt("BENCH_ROUND_MSGS", 10_000);
const ROUNDS = envInt("BENCH_ROUNDS", 5);
const CASES = 100;
const RAW_STREAM = "BENCH_RAW";
const RAW_SUBJECTS = "bench.raw.>";
const QUERY_CASE_FACTS = 200;
const QUERY_WARMUP = envInt("BENCH_QUERY_WARMUP", 200);
const QUERIES = envInt("BENCH_QUERIES", 2_000);
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 5;
/** Typical customer message length, in characters. */
const TEXT_CHARS = 130;
const WORDS = (
  "hi hello the my a an I was were charged twice refund card account order billing please help why when " +
  "subscription invoice payment delivery package late broken wrong address email phone number password reset " +
  "login cancel upgrade plan price discount still not yet since last week month could you thanks"
).split(" ");

/**
 * Distinct, deterministic customer messages of typical length, so the facts of
 * a case are not one text repeated (which would flatter any compression).
 */
function messageTexts(count: number): string[] {
  let x = 0x2545f491;
  const next = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  return Array.from({ length: count }, () => {
    let text = "";
    while (text.length < TEXT_CHARS) text += `${WORDS[next(WORDS.length)]}${next(8) === 0 ? ` ${next(100_000)}` : ""} `;
    return `${text.slice(0, TEXT_CHARS - 1).trim()}?`;
  });
}
const TEXTS = messageTexts(256);
const textOf = (i: number): string => TEXTS[i % TEXTS.length] ?? "hello";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

const roundInt = (n: number) => Math.round(n);
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Runs `op(0..total-1)` keeping `window` operations in flight: a new one
 * starts as each one finishes. Resolves with the elapsed milliseconds.
 */
function pipelined(total: number, window: number, op: (i: number) => Promise<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let next = 0;
    let done = 0;
    let failed = false;
    const launch = (): void => {
      const i = next++;
      let p: Promise<unknown>;
      try {
        p = op(i);
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(
        () => {
          if (failed) return;
          done++;
          if (done === total) resolve(performance.now() - started);
          else if (next < total) launch();
        },
        (err: unknown) => {
          if (failed) return;
          failed = true;
          reject(err);
        },
      );
    };
    for (let k = 0; k < Math.min(window, total); k++) launch();
    if (total === 0) resolve(0);
  });
}

interface Cleanup {
  server?: NatsServerProcess;
  nc?: NatsConnection;
  blackboard?: ChildProcess | undefined;
  root?: string;
}

const cleanup: Cleanup = {};
let cleaning: Promise<void> | undefined;
let interrupted = false;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    if (cleanup.blackboard !== undefined) await stopChild(cleanup.blackboard);
    if (cleanup.nc !== undefined) await cleanup.nc.close().catch(() => undefined);
    if (cleanup.server !== undefined) await cleanup.server.stop("SIGKILL").catch(() => undefined);
    if (cleanup.root !== undefined) await rm(cleanup.root, { recursive: true, force: true }).catch(() => undefined);
  })();
  return cleaning;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

// A closed stdout (e.g. piped into `head`) must not skip the cleanup.
process.stdout.on("error", () => undefined);
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (err: unknown) => {
    log(`bench failed (${event}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void cleanUp().finally(() => process.exit(1));
  });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

interface Throughput {
  appendsPerS: number;
  rawPerS: number;
}

async function measureThroughput(nc: NatsConnection): Promise<Throughput> {
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS, maxInFlight: WINDOW });
  const jsm = await nc.jetstreamManager();
  const facts = streamConfigs({ dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS }).find((c) => c.name === FACTS_STREAM);
  if (facts === undefined) throw new Error(`no ${FACTS_STREAM} stream config`);
  await jsm.streams.add({ ...facts, name: RAW_STREAM, subjects: [RAW_SUBJECTS] });

  const caseIds = Array.from({ length: CASES }, (_, i) => `bench-case-${String(i).padStart(3, "0")}`);
  // The raw payload: a real message.received fact, encoded once.
  const sample = writer.build(message(caseIds[0] ?? "bench-case-000", textOf(0), 1));
  const payload = Buffer.from(JSON.stringify(sample));
  const rawSubjects = caseIds.map((id) => `bench.raw.${id}.message.received`);
  log(`payload: ${payload.byteLength} bytes (message.received fact); window ${WINDOW}; ${ROUNDS} rounds of ${ROUND_MSGS}`);

  const js: JetStreamClient = nc.jetstream();
  let n = 0;
  const raw = (count: number) => pipelined(count, WINDOW, (i) => js.publish(rawSubjects[i % CASES] ?? "bench.raw.x", payload));
  const appends = (count: number) =>
    pipelined(count, WINDOW, (i) => {
      n++;
      return writer.append(message(caseIds[i % CASES] ?? "bench-case-000", textOf(n), n));
    });

  const warmRaw = await raw(WARMUP_MSGS);
  const warmWriter = await appends(WARMUP_MSGS);
  log(
    `warm-up: raw ${roundInt((WARMUP_MSGS / warmRaw) * 1000)} msg/s, writer ${roundInt((WARMUP_MSGS / warmWriter) * 1000)} msg/s`,
  );

  const rawRates: number[] = [];
  const writerRates: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const rawMs = await raw(ROUND_MSGS);
    rawRates.push((ROUND_MSGS / rawMs) * 1000);
    log(`raw round ${r}: ${roundInt(rawRates[rawRates.length - 1] ?? 0)} msg/s`);
    const writerMs = await appends(ROUND_MSGS);
    writerRates.push((ROUND_MSGS / writerMs) * 1000);
    log(`writer round ${r}: ${roundInt(writerRates[writerRates.length - 1] ?? 0)} msg/s`);
  }

  // Leave an empty log for the blackboard, and free the disk.
  await jsm.streams.delete(RAW_STREAM);
  await jsm.streams.purge(FACTS_STREAM);
  return { appendsPerS: median(writerRates), rawPerS: median(rawRates) };
}

interface QueryLatency {
  p50: number;
  p99: number;
}

function spawnBlackboard(natsUrl: string, dir: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "blackboard/main.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NATS_URL: natsUrl,
      CASEMESH_BLACKBOARD_DIR: dir,
      CASEMESH_BLACKBOARD_METRICS_PORT: "0",
      LOG_LEVEL: "warn",
      CASEMESH_REPLICA_ID: "bench",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") log(`[blackboard] ${line}`);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  return child;
}

async function waitForReplica(client: BlackboardClient, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the blackboard exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const replicas = await client.replicas({ waitMs: 200 }).catch(() => []);
    if (replicas.some((r) => r.replicaId === "bench")) return;
    await sleep(100);
  }
  throw new Error(`the blackboard did not answer within ${timeoutMs} ms`);
}

async function measureQueries(nc: NatsConnection, server: NatsServerProcess, root: string): Promise<QueryLatency> {
  const writer = new FactWriter({ nc, source: TEST_SOURCE, maxInFlight: WINDOW });
  const caseId = "bench-query-case";
  const drafts = [caseOpened(caseId), ...Array.from({ length: QUERY_CASE_FACTS - 1 }, (_, i) => message(caseId, textOf(i), i + 1))];
  const appended = await writer.appendAll(drafts);
  const lastSeq = Math.max(...appended.map((a) => a.seq));

  const client = new BlackboardClient(nc);
  const started = performance.now();
  const child = spawnBlackboard(server.url, join(root, "blackboard"));
  cleanup.blackboard = child;
  await waitForReplica(client, child, 60_000);
  const first = await client.getCase({ caseId, minSeq: lastSeq, waitMs: 30_000 });
  if (first.facts.length !== QUERY_CASE_FACTS) {
    throw new Error(`case ${caseId} has ${first.facts.length} facts, expected ${QUERY_CASE_FACTS}`);
  }
  log(`blackboard up and caught up to seq ${lastSeq} in ${roundInt(performance.now() - started)} ms`);

  for (let i = 0; i < QUERY_WARMUP; i++) await client.getCase({ caseId });

  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    const result = await client.getCase({ caseId });
    times.push(performance.now() - t0);
    if (result.facts.length !== QUERY_CASE_FACTS) throw new Error(`query ${i} returned ${result.facts.length} facts`);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const slow = times.filter((t) => t >= TARGET_P99_MS).length;
  log(
    `query (${QUERIES} x getCase of ${QUERY_CASE_FACTS} facts): p50 ${round3(p50)} ms, p90 ${round3(percentile(times, 90))} ms, ` +
      `p99 ${round3(p99)} ms, max ${round3(times[times.length - 1] ?? NaN)} ms, ${slow} at or over ${TARGET_P99_MS} ms`,
  );

  // Diagnostic: the same query as a bare request, without the client's reply parsing.
  const body = JSON.stringify({ caseId });
  const bare: number[] = [];
  let replyBytes = 0;
  for (let i = 0; i < Math.min(500, QUERIES); i++) {
    const t0 = performance.now();
    const reply = await nc.request(querySubject("case.get"), body, { timeout: 5_000 });
    bare.push(performance.now() - t0);
    replyBytes = reply.data.byteLength;
  }
  bare.sort((a, b) => a - b);
  log(
    `query diagnostic: reply ${replyBytes} bytes; bare request (no client parse) p50 ${round3(percentile(bare, 50))} ms, p99 ${round3(percentile(bare, 99))} ms`,
  );

  await stopChild(child);
  cleanup.blackboard = undefined;
  return { p50, p99 };
}

async function main(): Promise<void> {
  const began = performance.now();
  const root = await mkdtemp(join(tmpdir(), "casemesh-bench-"));
  cleanup.root = root;
  const server = await NatsServerProcess.start({ storeDir: join(root, "nats") });
  cleanup.server = server;
  log(`nats-server on ${server.url} (store ${root})`);
  const nc = await connectNats({ servers: server.url, name: "bench-blackboard" });
  cleanup.nc = nc;

  const tp = await measureThroughput(nc);
  const ratio = tp.appendsPerS / tp.rawPerS;
  log(`median: raw ${roundInt(tp.rawPerS)} msg/s, writer ${roundInt(tp.appendsPerS)} msg/s, ratio ${round3(ratio)}`);

  const q = await measureQueries(nc, server, root);

  if (ratio < TARGET_RATIO) log(`WARNING: ratio ${round3(ratio)} is below the target ${TARGET_RATIO}`);
  if (q.p99 >= TARGET_P99_MS) log(`WARNING: query p99 ${round3(q.p99)} ms is not below the target ${TARGET_P99_MS} ms`);
  log(`done in ${roundInt((performance.now() - began) / 1000)} s`);

  process.stdout.write(
    `${JSON.stringify({
      appends_per_s: roundInt(tp.appendsPerS),
      raw_js_publish_per_s: roundInt(tp.rawPerS),
      ratio: round3(ratio),
      query_p50_ms: round3(q.p50),
      query_p99_ms: round3(q.p99),
    })}\n`,
  );
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  if (!interrupted) log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
