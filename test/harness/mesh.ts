import { after } from "node:test";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { FactWriter } from "../../blackboard/writer.ts";
import { createLogger } from "../../observability/logger.ts";
import { createRegistry } from "../../observability/metrics-server.ts";
import { capability, definePeer, type PeerDefinition, type StepContext, type StepResult } from "../../peers/define-peer.ts";
import { PeerHost, type PeerHostOptions } from "../../peers/host.ts";
import { openPresenceBucket } from "../../peers/buckets.ts";
import { Directory, PRESENCE_TTL_HEARTBEATS } from "../../peers/presence.ts";
import { BlackboardClient } from "../../blackboard/client.ts";
import type { NatsServerProcess } from "../../core/nats-server.ts";
import { TEST_SOURCE } from "./facts.ts";
import { connectTo, startNats } from "./nats.ts";
import { startReplica } from "./replica.ts";

/** Fast timings for tests: a 1.5 s lease renewed every 500 ms. */
export const TEST_LEASE_MS = 1_500;
export const TEST_HEARTBEAT_MS = 500;

let hosts = 0;

/** A peer host in this process with test timings; drained after the suite. */
export async function startHost(
  nc: NatsConnection,
  peers: PeerDefinition[],
  options: Partial<Omit<PeerHostOptions, "nc" | "peers">> = {},
): Promise<PeerHost> {
  const host = await PeerHost.start({
    nc,
    peers,
    hostId: options.hostId ?? `host-${++hosts}-${process.pid}`,
    registry: options.registry ?? createRegistry(),
    logger: options.logger ?? createLogger({ role: "peers", level: process.env["TEST_LOG_LEVEL"] === undefined ? "silent" : (process.env["TEST_LOG_LEVEL"] as "info") }),
    dedupWindowMs: 120_000,
    leaseMs: TEST_LEASE_MS,
    heartbeatMs: TEST_HEARTBEAT_MS,
    ...options,
  });
  after(() => host.drain(0));
  return host;
}

/** A peer serving `capabilityName` whose handler is `handler` (default: returns nothing). */
export function testPeer(
  id: string,
  capabilityName: string,
  handler: (input: Record<string, unknown>, ctx: StepContext) => Promise<StepResult> = async () => ({}),
  extra: Partial<PeerDefinition> & { fit?: number; cost?: number; fallback?: string; maxRuns?: number; timeoutMs?: number } = {},
): PeerDefinition {
  const { fit, cost, fallback, maxRuns, timeoutMs, ...peerExtra } = extra;
  return definePeer({
    id,
    version: "1.0.0",
    capabilities: [
      capability({
        name: capabilityName,
        input: z.record(z.string(), z.unknown()),
        handler,
        ...(fit === undefined ? {} : { fit }),
        ...(cost === undefined ? {} : { cost }),
        ...(fallback === undefined ? {} : { fallback }),
        ...(maxRuns === undefined ? {} : { maxRuns }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }),
    ],
    ...peerExtra,
  });
}

/** A writer for opening cases and needs from a test. */
export async function testWriter(nc: NatsConnection): Promise<FactWriter> {
  return FactWriter.create({ nc, source: { ...TEST_SOURCE, capability: "gateway" }, dedupWindowMs: 120_000 });
}

/** Opens a case and one need on it; resolves with the need's sequence. */
export async function openNeed(
  writer: FactWriter,
  caseId: string,
  needId: string,
  capabilityName: string,
  extra: {
    requires?: string[];
    fallback?: string;
    input?: Record<string, string>;
    /** As a step opens its follow-ups: what it knew of the case, so the auction need not read it. */
    routing?: { tier: "standard" | "priority" | "vip"; previousHandler: string | null };
  } = {},
): Promise<number> {
  await writer.append({ caseId, kind: "case.opened", data: { customerId: `cust-${caseId}`, channel: "chat", tier: "standard" } }, { msgId: `${caseId}.opened` });
  const a = await writer.append(
    {
      caseId,
      kind: "need.opened",
      data: {
        needId,
        capability: capabilityName,
        input: extra.input ?? {},
        requires: extra.requires ?? [],
        attempt: 1,
        fallback: extra.fallback ?? null,
        ...(extra.routing === undefined ? {} : { routing: extra.routing }),
      },
    },
    { msgId: `${needId}.opened` },
  );
  return a.seq;
}

/** A private mesh for a suite: nats-server, a connection, a blackboard replica, a query client and a writer. */
export async function startMesh(options: { name?: string; monitor?: boolean } = {}): Promise<{
  server: NatsServerProcess;
  nc: NatsConnection;
  client: BlackboardClient;
  writer: FactWriter;
}> {
  const server = await startNats({ monitor: options.monitor ?? false });
  const nc = await connectTo(server, options.name ?? "test");
  await startReplica(nc);
  return { server, nc, client: new BlackboardClient(nc), writer: await testWriter(nc) };
}

/** A presence directory watched from `nc` with test timings, as every process keeps one; stopped after the suite. */
export async function watchDirectory(nc: NatsConnection): Promise<Directory> {
  const ttl = TEST_HEARTBEAT_MS * PRESENCE_TTL_HEARTBEATS;
  const directory = new Directory(await openPresenceBucket(nc, ttl), ttl, createLogger({ role: "test", level: "silent" }));
  await directory.start();
  after(() => directory.stop());
  return directory;
}
