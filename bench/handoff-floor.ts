/**
 * The handoff's protocol floor, for `npm run bench:handoff`: the exchange a
 * handoff makes, on the same topology, in bare nats.js with none of casemesh's
 * code, so the mesh's figures can be read against what the machine allows.
 *
 * A driver connection appends two messages per need (a case's first fact and
 * its need.opened). One of `hosts` connections, all pulling from one durable
 * consumer, receives the need, calls the other hosts (request-many; each
 * answers with ten bids as JSON, which the caller parses), and creates the
 * claim in a KV bucket: latency runs from the driver's append being
 * acknowledged to that create, as in the mesh. Then it does the least
 * bookkeeping a handoff needs (the award fact, the done fact, the claim's
 * final update) and acknowledges the need. No contracts are checked, no case
 * is read and no step runs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AckPolicy, StorageType, jetstream, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { connectNats } from "../core/index.ts";
import { addRawStream, log } from "./harness.ts";

const STREAM = "BENCH_HANDOFF_FLOOR";
const CONSUMER = "bench-floor-needs";
const BUCKET = "bench_floor_claims";
const CFP_SUBJECT = "bench.floor-cfp";
/** The header naming the calling host, which does not answer its own call (the mesh bids in-process for it). */
const HOST_HEADER = "Bench-Host";
/** How long the driver waits for one claim before counting it as missing. */
const CLAIM_TIMEOUT_MS = 10_000;

export interface FloorOptions {
  serverUrl: string;
  /** The driver's connection. */
  nc: NatsConnection;
  /** Host connections (as the mesh's peer hosts). */
  hosts: number;
  /** Needs run first and not measured. */
  warmup: number;
  needs: number;
  ratePerS: number;
  /** Never more than this many needs appended and not yet claimed. */
  maxUnclaimed: number;
  /** Byte sizes of the mesh's need.opened and need.claimed facts, so the floor moves as many bytes. */
  sizes: { need: number; award: number };
}

/** One host's answer: ten bids, as a mesh host sends for its ten peers. */
const BID_REPLY = JSON.stringify({
  host: "bench-floor-host",
  bids: Array.from({ length: 10 }, (_, i) => ({ peer: `floor-p${i}`, version: "1.0.0", parts: { fit: 1, load: 1, cost: 0, version: 1 } })),
  declines: [],
});

/** Runs the floor; resolves with each claimed need's latency in ms, unsorted. */
export async function measureProtocolFloor(options: FloorOptions): Promise<number[]> {
  const jsm = await addRawStream(options.nc, STREAM, "bench.floor.>");
  await jsm.consumers.add(STREAM, {
    durable_name: CONSUMER,
    filter_subject: "bench.floor.*.need",
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 50_000,
  });
  const needBody = Buffer.alloc(options.sizes.need, "n");
  const awardBody = Buffer.alloc(options.sizes.award, "a");
  const ackedAt = new Map<string, number>();
  const claimed = new Map<string, () => void>();
  const latencies: number[] = [];
  const connections: NatsConnection[] = [];
  const consumers: ConsumerMessages[] = [];
  try {
    for (let h = 0; h < options.hosts; h++) {
      const c = await connectNats({ servers: options.serverUrl, name: `bench-floor-h${h}` });
      connections.push(c);
      const js = jetstream(c);
      const kv = await new Kvm(js).create(BUCKET, { history: 1, storage: StorageType.File });
      c.subscribe(CFP_SUBJECT, {
        callback: (_err, m) => {
          if (m.headers?.get(HOST_HEADER) !== String(h)) m.respond(BID_REPLY);
        },
      });
      const callHeaders = headers();
      callHeaders.set(HOST_HEADER, String(h));
      const handle = async (m: JsMsg): Promise<void> => {
        const id = m.subject.split(".")[2] ?? "";
        if (options.hosts > 1) {
          const replies = await c.requestMany(CFP_SUBJECT, needBody, {
            strategy: "count",
            maxMessages: options.hosts - 1,
            maxWait: 1_000,
            headers: callHeaders,
          });
          for await (const reply of replies) JSON.parse(reply.string());
        }
        const revision = await kv.create(id, awardBody);
        const at = ackedAt.get(id);
        if (at !== undefined) latencies.push(performance.now() - at);
        claimed.get(id)?.();
        await js.publish(`bench.floor.${id}.claimed`, awardBody);
        await js.publish(`bench.floor.${id}.done`, needBody);
        await kv.update(id, awardBody, revision);
        m.ack();
      };
      const messages = await (await js.consumers.get(STREAM, CONSUMER)).consume({ max_messages: 64 });
      consumers.push(messages);
      void (async () => {
        for await (const m of messages) void handle(m).catch(() => m.nak());
      })();
    }
    await sleep(200);

    const js = jetstream(options.nc);
    const interval = 1000 / options.ratePerS;
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < options.warmup + options.needs; i++) {
      const wait = started + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      while (inFlight.size >= options.maxUnclaimed) await Promise.race(inFlight);
      const id = `f${i}`;
      const p: Promise<void> = (async () => {
        const done = new Promise<void>((resolve) => claimed.set(id, resolve));
        await js.publish(`bench.floor.${id}.opened`, needBody);
        await js.publish(`bench.floor.${id}.need`, needBody);
        if (i >= options.warmup) ackedAt.set(id, performance.now());
        await Promise.race([done, sleep(CLAIM_TIMEOUT_MS)]);
      })().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    if (latencies.length < options.needs) log(`protocol floor: WARNING: ${options.needs - latencies.length} needs were not claimed`);
    return latencies;
  } finally {
    for (const m of consumers) m.stop();
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    await jsm.streams.delete(STREAM).catch(() => undefined);
    await jsm.streams.delete(`KV_${BUCKET}`).catch(() => undefined);
  }
}
