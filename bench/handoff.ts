/**
 * Handoff benchmark: `npm run bench:handoff`.
 *
 * Starts a private nats-server and a blackboard (a separate process, as in a
 * deployment: auctioneers query it for the case brief), then for each mesh
 * size N in PEER_COUNTS starts N capable peers of a fresh capability spread
 * over a few PeerHosts (each with its own NATS connection), warms up, and
 * opens needs at a steady rate, one per case. It measures:
 *  - handoff latency: from the need.opened append being acknowledged to the
 *    claim being committed (the host's onAward callback for attempt 1), both
 *    read from performance.now() in this process; p50 / p99 per N;
 *  - duplicates: a need awarded more than once at attempt 1 (onAward), or with
 *    more than one attempt-1 need.claimed or more than one need.done on its
 *    case (read back from the blackboard at the end of each round);
 *  - lost: needs with no need.done within DONE_TIMEOUT_MS;
 *  - raw_js_ack_p50_ms: sequential JetStream publish round trips (await the
 *    ack) of a need.opened-sized payload, on a stream with the facts stream's
 *    settings, in the same run.
 * Last, it runs the protocol floor (bench/handoff-floor.ts): the same exchange
 * on the 50-peer topology in bare nats.js, without casemesh's code, at the
 * same rate, and prints it on stderr beside the mesh's figure.
 * For each round it also prints, on stderr, the CPU time each process (this
 * one with the peers, the blackboard, nats-server) spent per handoff: a
 * steadier measure of the mesh's cost than latency on a noisy machine.
 * Progress goes to stderr; the last stdout line is one JSON object. Exits 0
 * when a latency target is missed (with a warning), 1 on duplicates or lost
 * needs or any failure.
 */
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { pino } from "pino";
import { Registry } from "prom-client";
import { BlackboardClient, FACTS_STREAM, FactWriter } from "../blackboard/index.ts";
import { connectNats, DEFAULT_DEDUP_WINDOW_MS, DEFAULT_HEARTBEAT_MS, type NatsServerProcess } from "../core/index.ts";
import { createLogger, type Logger } from "../observability/index.ts";
import { type AwardEvent, Directory, PeerHost, PRESENCE_BUCKET, PRESENCE_TTL_HEARTBEATS } from "../peers/index.ts";
import { TEST_SOURCE } from "../test/harness/facts.ts";
import { testPeer } from "../test/harness/mesh.ts";
import { measureProtocolFloor } from "./handoff-floor.ts";
import { EXIT_FAILED, type BenchRun, addRawStream, cpuMsOf, envInt, log, logDone, percentile, round3, roundInt, runBench } from "./harness.ts";

const PEER_COUNTS = [2, 10, 50] as const;
/** Needs are opened as a peer's step opens its follow-ups: carrying the case's routing. */
const ROUTING = { tier: "standard", previousHandler: null } as const;
/** Peers per PeerHost at most; 50 peers run on 5 hosts. */
const PEERS_PER_HOST = 10;
const WARMUP_NEEDS = envInt("BENCH_WARMUP_NEEDS", 50);
const NEEDS = envInt("BENCH_NEEDS", 500);
/**
 * Needs run through a throwaway 10-peer mesh before the first round. The first
 * few hundred handoffs of a fresh run (this process and the blackboard's JIT,
 * the new stores) are several times slower than the steady state; without this
 * they land in whichever round comes first.
 */
const PROCESS_WARMUP_NEEDS = envInt("BENCH_PROCESS_WARMUP_NEEDS", 600);
const PROCESS_WARMUP_PEERS = 10;
/** Needs opened per second (open loop: the schedule does not wait for awards). */
const RATE_PER_S = envInt("BENCH_RATE", 200);
/** Guard against queueing: never more than this many needs opened and not yet awarded. */
const MAX_UNAWARDED = envInt("BENCH_MAX_UNAWARDED", 8);
const RAW_WARMUP = envInt("BENCH_RAW_WARMUP", 300);
const RAW_SAMPLES = envInt("BENCH_RAW_SAMPLES", 2_000);
const RAW_STREAM = "BENCH_HANDOFF_RAW";
/** A stream for the raw acks sampled under load during each round (stderr context only). */
const LOADED_STREAM = "BENCH_HANDOFF_LOADED";
const LOADED_SUBJECTS = "bench.handoff.loaded.>";
const LOADED_SUBJECT = "bench.handoff.loaded.ack";
const LOADED_SAMPLE_EVERY_MS = 7;
const RAW_SUBJECTS = "bench.handoff.raw.>";
const PRESENCE_TIMEOUT_MS = 15_000;
const DONE_TIMEOUT_MS = 20_000;
const TARGET_RATIO = 5;
const TARGET_P99_MS = 10;
const HEARTBEAT_MS = DEFAULT_HEARTBEAT_MS;

/** The other processes of the run, whose CPU time is read per round. */
interface OtherProcesses {
  blackboard: number | undefined;
  nats: number | undefined;
}

/** CPU ms used so far by this process and the others. */
async function cpuNow(others: OtherProcesses): Promise<{ peers: number; blackboard: number | undefined; nats: number | undefined }> {
  const own = process.cpuUsage();
  return { peers: (own.user + own.system) / 1000, blackboard: await cpuMsOf(others.blackboard), nats: await cpuMsOf(others.nats) };
}

/** A running PeerHost and its own NATS connection. */
interface HostHandle {
  host: PeerHost;
  nc: NatsConnection;
}

/** The hosts of the round in progress; drained by the run's cleanup if it is cut short. */
const hosts: HostHandle[] = [];
/** Per-step bound on draining the hosts during the run's cleanup. */
const CLEANUP_DRAIN_TIMEOUT_MS = 2_000;
/** Per-step bound on draining the hosts at the end of a round. */
const ROUND_DRAIN_TIMEOUT_MS = 10_000;

/** Drains the hosts (grace 0) and closes their connections; bounded by `timeoutMs` per step. */
async function stopHosts(handles: HostHandle[], timeoutMs: number): Promise<void> {
  const list = handles.splice(0);
  const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), sleep(timeoutMs)]);
  await bounded(Promise.all(list.map((h) => h.host.drain(0))));
  await bounded(Promise.all(list.map((h) => h.nc.close())));
}

/** The encoded size of the need.claimed fact of an auction among `peers` peers. */
function awardFactBytes(writer: FactWriter, peers: number): number {
  const bids = Array.from({ length: peers }, (_, i) => ({
    peer: `peer-${String(i).padStart(2, "0")}`,
    version: "1.0.0",
    parts: { fit: 1, load: 1, cost: 0, continuity: 0, version: 1 },
    utility: 1.6,
  }));
  const fact = writer.build({ caseId: "hc-size", kind: "need.claimed", data: { needId: "hn-size-0000", capability: "bench.size", attempt: 1, peer: "peer-00", leaseMs: 5_000, bids } });
  return Buffer.byteLength(JSON.stringify(fact));
}

/** Sequential JetStream publish round trips (publish, await the ack) on a stream like the facts stream. */
async function measureRawAck(nc: NatsConnection, writer: FactWriter): Promise<{ times: number[]; payloadBytes: number }> {
  const jsm = await addRawStream(nc, RAW_STREAM, RAW_SUBJECTS);
  // The payload: a real need.opened fact, encoded once.
  const sample = writer.build({
    caseId: "hc-raw",
    kind: "need.opened",
    data: { needId: "hn-raw-0000", capability: "bench.raw", input: {}, requires: [], attempt: 1, fallback: null, routing: ROUTING },
  });
  const payload = Buffer.from(JSON.stringify(sample));
  const js = jetstream(nc);
  const times: number[] = [];
  for (let i = 0; i < RAW_WARMUP + RAW_SAMPLES; i++) {
    const t0 = performance.now();
    await js.publish(`bench.handoff.raw.c${i % 100}.need.opened`, payload);
    if (i >= RAW_WARMUP) times.push(performance.now() - t0);
  }
  await jsm.streams.delete(RAW_STREAM);
  log(`raw payload ${payload.byteLength} bytes`);
  return { times, payloadBytes: payload.byteLength };
}

interface NeedTrack {
  caseId: string;
  measured: boolean;
  ackAt?: number;
  awardAt?: number;
  /** Attempt-1 awards seen through onAward. */
  awards1: number;
  /** Awards at later attempts (re-awards after an expiry, release or refusal). */
  reawards: number;
  dones: number;
  bids?: number;
  serverLatencyMs?: number;
}

interface RoundResult {
  peers: number;
  latencies: number[];
  duplicates: number;
  lost: number;
  reawards: number;
  minBids: number;
  serverLatencies: number[];
}

/** How the N peers are spread over hosts: up to 10 per host; 2 hosts from 10 peers. */
function hostLayout(n: number): number[] {
  const hosts = n <= 2 ? 1 : n <= 10 ? 2 : Math.ceil(n / PEERS_PER_HOST);
  const sizes: number[] = [];
  for (let h = 0; h < hosts; h++) sizes.push(Math.floor(n / hosts) + (h < n % hosts ? 1 : 0));
  return sizes;
}

async function runRound(
  nc: NatsConnection,
  server: NatsServerProcess,
  writer: FactWriter,
  client: BlackboardClient,
  logger: Logger,
  n: number,
  round: number,
  counts: { warmup: number; measured: number },
  others: OtherProcesses,
): Promise<RoundResult> {
  const label = round === 0 ? `[process warm-up, ${n} peers]` : `[${n} peers]`;
  const cap = `bench.step_r${round}`;
  const needs = new Map<string, NeedTrack>();
  const awaiting = new Map<string, () => void>();
  const onAward = (e: AwardEvent): void => {
    const at = performance.now();
    const t = needs.get(e.needId);
    if (t === undefined) return;
    if (e.attempt === 1) {
      t.awards1++;
      if (t.awardAt === undefined) {
        t.awardAt = at;
        t.bids = e.bids;
        t.serverLatencyMs = e.latencyMs;
      }
    } else {
      t.reawards++;
    }
    awaiting.get(e.needId)?.();
    awaiting.delete(e.needId);
  };

  // Done notices: need.done facts as they are stored.
  let doneCount = 0;
  const doneSub: Subscription = nc.subscribe("casemesh.fact.*.need.done");
  void (async () => {
    for await (const m of doneSub) {
      let needId: string | undefined;
      try {
        needId = (JSON.parse(new TextDecoder().decode(m.data)) as { data?: { needId?: string } }).data?.needId;
      } catch {
        continue;
      }
      const t = needId === undefined ? undefined : needs.get(needId);
      if (t === undefined) continue;
      t.dones++;
      if (t.dones === 1) doneCount++;
    }
  })();

  const layout = hostLayout(n);
  let peerNo = 0;
  for (const [h, size] of layout.entries()) {
    const hnc = await connectNats({ servers: server.url, name: `bench-handoff-r${round}-h${h}` });
    const peers = Array.from({ length: size }, () => testPeer(`r${round}-p${String(peerNo++).padStart(2, "0")}`, cap, async () => ({})));
    try {
      const host = await PeerHost.start({
        nc: hnc,
        peers,
        hostId: `bench-r${round}-h${h}`,
        registry: new Registry(),
        logger,
        dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS,
        heartbeatMs: HEARTBEAT_MS,
        onAward,
      });
      hosts.push({ host, nc: hnc });
    } catch (err) {
      await hnc.close().catch(() => undefined);
      throw err;
    }
  }

  // Wait until the presence directory shows every peer, then give the hosts' own watches a moment.
  const presence = await new Kvm(nc).open(PRESENCE_BUCKET);
  const directory = new Directory(presence, HEARTBEAT_MS * PRESENCE_TTL_HEARTBEATS, logger);
  await directory.start();
  try {
    const seenBy = Date.now() + PRESENCE_TIMEOUT_MS;
    while (directory.capable(cap).length < n) {
      if (Date.now() > seenBy) throw new Error(`only ${directory.capable(cap).length} of ${n} peers of ${cap} are in the directory`);
      await sleep(20);
    }
  } finally {
    directory.stop();
  }
  await sleep(200);
  log(`${label} ${layout.length} host(s) ${JSON.stringify(layout)}; all ${n} peers present`);

  let caseNo = 0;
  const openOne = async (measured: boolean): Promise<void> => {
    const i = caseNo++;
    const caseId = `hc-r${round}-${String(i).padStart(4, "0")}`;
    const needId = `hn-r${round}-${String(i).padStart(4, "0")}`;
    const track: NeedTrack = { caseId, measured, awards1: 0, reawards: 0, dones: 0 };
    needs.set(needId, track);
    const awarded = new Promise<void>((resolve) => awaiting.set(needId, resolve));
    await writer.append(
      { caseId, kind: "case.opened", data: { customerId: `cust-${caseId}`, channel: "chat", tier: "standard" } },
      { msgId: `${caseId}.opened` },
    );
    await writer.append(
      // As a peer's step opens it: with the routing the step already knows.
      { caseId, kind: "need.opened", data: { needId, capability: cap, input: {}, requires: [], attempt: 1, fallback: null, routing: ROUTING } },
      { msgId: `${needId}.opened` },
    );
    track.ackAt = performance.now();
    await awarded;
  };

  /**
   * For context, not for the JSON line: a raw JetStream ack sampled now and
   * then while the round runs, so it feels the same load as the handoffs.
   */
  const sampleLoadedAcks = async (stop: () => boolean): Promise<number[]> => {
    const jsm = await addRawStream(nc, LOADED_STREAM, LOADED_SUBJECTS);
    const js = jetstream(nc);
    const body = Buffer.alloc(400, "x");
    const acks: number[] = [];
    while (!stop()) {
      const t0 = performance.now();
      await js.publish(LOADED_SUBJECT, body);
      acks.push(performance.now() - t0);
      await sleep(LOADED_SAMPLE_EVERY_MS);
    }
    await jsm.streams.delete(LOADED_STREAM);
    return acks;
  };

  /** Opens `count` needs on a steady schedule of RATE_PER_S, keeping at most MAX_UNAWARDED unawarded. */
  const openPaced = async (count: number, measured: boolean): Promise<void> => {
    const interval = 1000 / RATE_PER_S;
    const start = performance.now();
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    for (let k = 0; k < count && failure === undefined; k++) {
      const due = start + k * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      while (inFlight.size >= MAX_UNAWARDED) await Promise.race(inFlight);
      const p: Promise<void> = openOne(measured)
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    const all = Promise.all(inFlight);
    const timedOut = await Promise.race([all.then(() => false), sleep(DONE_TIMEOUT_MS).then(() => true)]);
    if (failure !== undefined) throw failure;
    if (timedOut) log(`${label} WARNING: ${awaiting.size} needs were not awarded within ${DONE_TIMEOUT_MS} ms`);
  };

  if (counts.warmup > 0) {
    const warmStarted = performance.now();
    await openPaced(counts.warmup, false);
    log(`${label} warm-up: ${counts.warmup} needs in ${roundInt(performance.now() - warmStarted)} ms`);
  }
  const began = performance.now();
  const cpuBefore = await cpuNow(others);
  let measuring = true;
  const loaded = sampleLoadedAcks(() => !measuring);
  try {
    await openPaced(counts.measured, true);
  } finally {
    measuring = false;
  }
  const cpuAfter = await cpuNow(others);
  const loadedAcks = (await loaded).sort((a, b) => a - b);
  const openMs = performance.now() - began;

  // Every need must end in exactly one need.done.
  const total = needs.size;
  const doneBy = Date.now() + DONE_TIMEOUT_MS;
  while (doneCount < total && Date.now() < doneBy) await sleep(20);
  // Let auctioneers see the settled claims and ack, so draining hands nothing back.
  const ackBy = Date.now() + 5_000;
  while (hosts.some((h) => h.host.auctions > 0) && Date.now() < ackBy) await sleep(20);
  const stillSupervised = hosts.reduce((s, h) => s + h.host.auctions, 0);
  await stopHosts(hosts, ROUND_DRAIN_TIMEOUT_MS);
  doneSub.unsubscribe();

  // Read the cases back from the blackboard: count need.claimed (attempt 1) and need.done per need.
  const jsm = await jetstreamManager(nc);
  const lastSeq = (await jsm.streams.info(FACTS_STREAM)).state.last_seq;
  const entries = [...needs.entries()];
  const claimed = new Map<string, number>();
  const doneFacts = new Map<string, number>();
  let next = 0;
  const readCase = async (): Promise<void> => {
    while (next < entries.length) {
      const entry = entries[next++];
      if (entry === undefined) break;
      const [needId, t] = entry;
      const view = await client.getCase({ caseId: t.caseId, minSeq: lastSeq, waitMs: 10_000 });
      for (const { fact } of view.facts) {
        const data = fact.data as { needId?: string; attempt?: number };
        if (data.needId !== needId) continue;
        if (fact.kind === "need.claimed" && data.attempt === 1) claimed.set(needId, (claimed.get(needId) ?? 0) + 1);
        if (fact.kind === "need.done") doneFacts.set(needId, (doneFacts.get(needId) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, readCase));

  let duplicates = 0;
  let lost = 0;
  let reawards = 0;
  let minBids = Infinity;
  const latencies: number[] = [];
  const serverLatencies: number[] = [];
  for (const [needId, t] of needs) {
    const c = claimed.get(needId) ?? 0;
    const d = doneFacts.get(needId) ?? 0;
    if (t.awards1 > 1 || c > 1 || d > 1 || t.dones > 1) {
      duplicates++;
      log(`${label} DUPLICATE ${needId}: ${t.awards1} attempt-1 awards, ${c} attempt-1 need.claimed, ${d} need.done (${t.dones} seen live)`);
    }
    if (d === 0 || t.dones === 0) {
      lost++;
      log(`${label} LOST ${needId}: ${d} need.done on the blackboard, ${t.dones} seen live, awarded ${t.awardAt !== undefined}`);
    }
    reawards += t.reawards;
    if (t.bids !== undefined) minBids = Math.min(minBids, t.bids);
    if (t.measured && t.ackAt !== undefined && t.awardAt !== undefined) {
      latencies.push(Math.max(0, t.awardAt - t.ackAt));
      if (t.serverLatencyMs !== undefined) serverLatencies.push(t.serverLatencyMs);
    }
  }
  latencies.sort((a, b) => a - b);
  serverLatencies.sort((a, b) => a - b);
  log(
    `${label} ${latencies.length} handoffs in ${roundInt(openMs)} ms: p50 ${round3(percentile(latencies, 50))} ms, ` +
      `p90 ${round3(percentile(latencies, 90))} ms, p99 ${round3(percentile(latencies, 99))} ms, max ${round3(latencies[latencies.length - 1] ?? NaN)} ms; ` +
      `from stream timestamp p50 ${round3(percentile(serverLatencies, 50))} ms; min bids ${minBids}; ` +
      `re-awards ${reawards}; duplicates ${duplicates}; lost ${lost}${stillSupervised > 0 ? `; ${stillSupervised} still supervised at drain` : ""}`,
  );
  const perHandoff = (after: number | undefined, before: number | undefined) =>
    after === undefined || before === undefined ? "n/a" : `${round3((after - before) / counts.measured)} ms`;
  log(
    `${label} CPU per handoff: peers process ${perHandoff(cpuAfter.peers, cpuBefore.peers)}, ` +
      `blackboard ${perHandoff(cpuAfter.blackboard, cpuBefore.blackboard)}, nats-server ${perHandoff(cpuAfter.nats, cpuBefore.nats)}`,
  );
  if (loadedAcks.length > 0) {
    const loadedP50 = percentile(loadedAcks, 50);
    log(
      `${label} a raw ack sampled during the round (same load): p50 ${round3(loadedP50)} ms over ${loadedAcks.length} samples; ` +
        `handoff p50 is ${round3(percentile(latencies, 50) / loadedP50)}x that`,
    );
  }
  return { peers: n, latencies, duplicates, lost, reawards, minBids, serverLatencies };
}

async function main(run: BenchRun): Promise<number> {
  const began = performance.now();
  const { root, server, nc } = await run.startNats({ tmpPrefix: "casemesh-bench-handoff-", connectionName: "bench-handoff" });
  const writer = await FactWriter.create({ nc, source: { ...TEST_SOURCE, capability: "gateway" }, dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS });
  const logger = createLogger({ role: "bench-peers", level: "warn", destination: pino.destination(2) });

  const client = new BlackboardClient(nc);
  const blackboard = await run.startBlackboard(client, server.url, join(root, "blackboard"));
  const others: OtherProcesses = { blackboard: blackboard.child.pid, nats: server.pid };
  // Registered after the blackboard, so the cleanup drains the hosts before stopping it.
  run.defer(() => stopHosts(hosts, CLEANUP_DRAIN_TIMEOUT_MS));
  log("blackboard up (child process)");

  const { times: raw, payloadBytes } = await measureRawAck(nc, writer);
  raw.sort((a, b) => a - b);
  const rawP50 = percentile(raw, 50);
  log(`raw JetStream publish ack (${raw.length} sequential): p50 ${round3(rawP50)} ms, p99 ${round3(percentile(raw, 99))} ms`);

  const warm = await runRound(nc, server, writer, client, logger, PROCESS_WARMUP_PEERS, 0, { warmup: 0, measured: PROCESS_WARMUP_NEEDS }, others);
  const results: RoundResult[] = [];
  for (const [i, n] of PEER_COUNTS.entries()) {
    results.push(await runRound(nc, server, writer, client, logger, n, i + 1, { warmup: WARMUP_NEEDS, measured: NEEDS }, others));
  }

  const p50s = results.map((r) => round3(percentile(r.latencies, 50)));
  const p99s = results.map((r) => round3(percentile(r.latencies, 99)));
  // The process warm-up's needs count for correctness too.
  const duplicates = [warm, ...results].reduce((s, r) => s + r.duplicates, 0);
  const lost = [warm, ...results].reduce((s, r) => s + r.lost, 0);
  const at50 = results.find((r) => r.peers === 50);
  const p50At50 = at50 === undefined ? NaN : percentile(at50.latencies, 50);
  const p99At50 = at50 === undefined ? NaN : percentile(at50.latencies, 99);
  const ratio = p50At50 / rawP50;

  const floor = (
    await measureProtocolFloor({
      serverUrl: server.url,
      nc,
      hosts: hostLayout(50).length,
      warmup: WARMUP_NEEDS,
      needs: NEEDS,
      ratePerS: RATE_PER_S,
      maxUnclaimed: MAX_UNAWARDED,
      sizes: { need: payloadBytes, award: awardFactBytes(writer, 50) },
    })
  ).sort((a, b) => a - b);
  const floorP50 = percentile(floor, 50);
  log(
    `protocol floor at 50 peers (${hostLayout(50).length} hosts; bare nats.js: the same delivery, call for bids and claim create, ` +
      `no casemesh code): p50 ${round3(floorP50)} ms (${round3(floorP50 / rawP50)}x the raw ack), p90 ${round3(percentile(floor, 90))} ms, ` +
      `p99 ${round3(percentile(floor, 99))} ms over ${floor.length} needs; the mesh's p50 at 50 peers is ${round3(p50At50 / floorP50)}x the floor`,
  );

  if (!(ratio <= TARGET_RATIO)) log(`WARNING: p50 at 50 peers is ${round3(ratio)}x the raw ack p50; the target is at most ${TARGET_RATIO}x`);
  if (!(p99At50 < TARGET_P99_MS)) log(`WARNING: p99 at 50 peers is ${round3(p99At50)} ms; the target is under ${TARGET_P99_MS} ms`);
  if (duplicates > 0 || lost > 0) log(`FAILED: ${duplicates} duplicate(s), ${lost} lost need(s)`);
  logDone(began);

  process.stdout.write(
    `${JSON.stringify({
      peers: [...PEER_COUNTS],
      p50_ms: p50s,
      p99_ms: p99s,
      raw_js_ack_p50_ms: round3(rawP50),
      ratio_p50_at_50: round3(ratio),
      duplicates,
      lost,
    })}\n`,
  );
  return duplicates > 0 || lost > 0 ? EXIT_FAILED : 0;
}

await runBench(main);
