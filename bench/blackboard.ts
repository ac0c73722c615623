/**
 * Blackboard benchmark: `npm run bench:blackboard`.
 *
 * Starts a private nats-server and measures, in one run against one server:
 *  - raw_js_publish_per_s: plain JetStream publishes of a pre-encoded payload
 *    the size of a message.received fact, to a stream with the facts stream's
 *    storage settings, 256 in flight;
 *  - appends_per_s: FactWriter.append of message.received drafts, 256 in flight;
 *  - query_p50_ms / query_p99_ms: sequential getCase of a 200-fact case from a
 *    blackboard running as a separate process;
 *  - on stderr only, the projection rate: a burst of facts in the mix every
 *    handoff writes (case.opened, need.opened, need.claimed with 50 bids,
 *    need.done) appended while that blackboard runs, timed until it has
 *    applied them all, with the blackboard's CPU time per fact.
 * Throughput rounds are interleaved (raw, writer, raw, writer, ...) and the
 * median of each is reported. Progress goes to stderr; the last stdout line is
 * one JSON object with the results. Exits 0 even when a target is missed.
 */
import { join } from "node:path";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { DEFAULT_DEDUP_WINDOW_MS } from "../core/index.ts";
import { TEST_SOURCE, caseOpened, message } from "../test/harness/facts.ts";
import { BlackboardClient, type FactDraft, FACTS_STREAM, FactWriter, MAX_MIN_SEQ_WAIT_MS, querySubject } from "../blackboard/index.ts";
import { type BenchRun, addRawStream, cpuMsOf, envInt, log, logDone, median, percentile, round3, roundInt, runBench } from "./harness.ts";

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
/** Cases in the projection burst; four facts each. */
const PROJECTION_CASES = envInt("BENCH_PROJECTION_CASES", 2_000);
/** Bids on each need.claimed of the burst: an auction among 50 peers. */
const PROJECTION_BIDS = 50;
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

interface Throughput {
  appendsPerS: number;
  rawPerS: number;
}

async function measureThroughput(nc: NatsConnection): Promise<Throughput> {
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS, maxInFlight: WINDOW });
  const jsm = await addRawStream(nc, RAW_STREAM, RAW_SUBJECTS);

  const caseIds = Array.from({ length: CASES }, (_, i) => `bench-case-${String(i).padStart(3, "0")}`);
  // The raw payload: a real message.received fact, encoded once.
  const sample = writer.build(message(caseIds[0] ?? "bench-case-000", textOf(0), 1));
  const payload = Buffer.from(JSON.stringify(sample));
  const rawSubjects = caseIds.map((id) => `bench.raw.${id}.message.received`);
  log(`payload: ${payload.byteLength} bytes (message.received fact); window ${WINDOW}; ${ROUNDS} rounds of ${ROUND_MSGS}`);

  const js: JetStreamClient = jetstream(nc);
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

async function measureQueries(run: BenchRun, nc: NatsConnection, natsUrl: string, root: string, rawPerS: number): Promise<QueryLatency> {
  const writer = new FactWriter({ nc, source: TEST_SOURCE, maxInFlight: WINDOW });
  const caseId = "bench-query-case";
  const drafts = [caseOpened(caseId), ...Array.from({ length: QUERY_CASE_FACTS - 1 }, (_, i) => message(caseId, textOf(i), i + 1))];
  const appended = await writer.appendAll(drafts);
  const lastSeq = Math.max(...appended.map((a) => a.seq));

  const client = new BlackboardClient(nc);
  const started = performance.now();
  const blackboard = await run.startBlackboard(client, natsUrl, join(root, "blackboard"));
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

  await measureProjection(writer, client, blackboard.child.pid, rawPerS);
  await blackboard.stop();
  return { p50, p99 };
}

/** The facts one handoff leaves on a new case, for `cases` cases. */
function handoffMix(cases: number): FactDraft[] {
  const bids = Array.from({ length: PROJECTION_BIDS }, (_, i) => ({
    peer: `peer-${i}`,
    version: "1.0.0",
    parts: { fit: 1, load: 1, cost: 0, continuity: 0, version: 1 },
    utility: 1.6,
  }));
  return Array.from({ length: cases }, (_, c): FactDraft[] => {
    const caseId = `bench-mix-${c}`;
    const needId = `${caseId}-n`;
    const need = { needId, capability: "bench.step", attempt: 1 };
    return [
      { ...caseOpened(caseId), data: { customerId: `bench-cust-${c % 500}`, channel: "chat", tier: "standard" } },
      { caseId, kind: "need.opened", data: { ...need, input: {}, requires: [], fallback: null } },
      { caseId, kind: "need.claimed", data: { ...need, peer: "peer-0", leaseMs: 5_000, bids } },
      { caseId, kind: "need.done", data: { ...need, peer: "peer-0" } },
    ];
  }).flat();
}

/**
 * Appends the handoff mix while the blackboard runs and times it until the
 * blackboard has applied the last fact: the projection keeps up with the log
 * at this rate. Logged on stderr with the blackboard's CPU time per fact.
 */
async function measureProjection(writer: FactWriter, client: BlackboardClient, pid: number | undefined, rawPerS: number): Promise<void> {
  const drafts = handoffMix(PROJECTION_CASES);
  const cpuBefore = await cpuMsOf(pid);
  const started = performance.now();
  let lastSeq = 0;
  for (let i = 0; i < drafts.length; i += WINDOW) {
    for (const a of await writer.appendAll(drafts.slice(i, i + WINDOW))) lastSeq = Math.max(lastSeq, a.seq);
  }
  await client.getCase({ caseId: `bench-mix-${PROJECTION_CASES - 1}`, minSeq: lastSeq, waitMs: MAX_MIN_SEQ_WAIT_MS });
  const ms = performance.now() - started;
  const cpuAfter = await cpuMsOf(pid);
  const rate = (drafts.length / ms) * 1000;
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? "n/a" : `${roundInt(((cpuAfter - cpuBefore) / drafts.length) * 1000)} µs`;
  log(
    `projection: ${drafts.length} facts of the handoff mix appended and applied in ${roundInt(ms)} ms: ${roundInt(rate)} facts/s ` +
      `(${round3(rate / rawPerS)} of the raw publish rate); blackboard CPU ${cpu} per fact`,
  );
}

async function main(run: BenchRun): Promise<void> {
  const began = performance.now();
  const { root, server, nc } = await run.startNats({ tmpPrefix: "casemesh-bench-", connectionName: "bench-blackboard" });

  const tp = await measureThroughput(nc);
  const ratio = tp.appendsPerS / tp.rawPerS;
  log(`median: raw ${roundInt(tp.rawPerS)} msg/s, writer ${roundInt(tp.appendsPerS)} msg/s, ratio ${round3(ratio)}`);

  const q = await measureQueries(run, nc, server.url, root, tp.rawPerS);

  if (ratio < TARGET_RATIO) log(`WARNING: ratio ${round3(ratio)} is below the target ${TARGET_RATIO}`);
  if (q.p99 >= TARGET_P99_MS) log(`WARNING: query p99 ${round3(q.p99)} ms is not below the target ${TARGET_P99_MS} ms`);
  logDone(began);

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

await runBench(main);
