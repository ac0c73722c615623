import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { test } from "node:test";
import { status, type ServiceError } from "@grpc/grpc-js";
import { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import { ConflictError } from "../core/errors.ts";
import { CUSTOMER_FACING_KINDS } from "../gateway/case-events.ts";
import type { CaseEvent__Output } from "../gateway/generated/casemesh/v1/CaseEvent.ts";
import type { ChannelServiceClient } from "../gateway/generated/casemesh/v1/ChannelService.ts";
import { TOKENS, auth, call, channelClient } from "./harness/gateway.ts";
import { testWriter } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { gatewayEnv, spawnGateway, spawnTs } from "./harness/processes.ts";
import { startReplica } from "./harness/replica.ts";
import { eventually } from "./harness/wait.ts";

/**
 * The gateway as operators run it: `gateway/main.ts` in its own process,
 * against a private nats-server and an in-process blackboard replica.
 */

const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const blackboard = new BlackboardClient(nc);
const writer = await testWriter(nc);
/** Writes as a step does: optimistically, so a stale one loses and is never projected. */
const stepWriter = await FactWriter.create({ nc, source: { peer: "drafter", capability: "reply", version: "1" }, dedupWindowMs: 120_000, verdicts: blackboard });

test("kill -9 one of two gateways while a client watches a case: it resumes on the other from its last seq and gets every later event once", async (t) => {
  const [a, b] = await Promise.all([
    spawnGateway({ natsUrl: server.url, gatewayId: "gw-a" }),
    spawnGateway({ natsUrl: server.url, gatewayId: "gw-b" }),
  ]);
  const clientA = channelClient(a.address);
  const clientB = channelClient(b.address);
  const address = "failover-user";
  const first = await call(clientA, "send", { channel: "CHAT", address, text: "message 0", client_message_id: "fo-0" }, TOKENS.chat);
  const caseId = first.case_id;

  // The client: watches on A from the start; when its stream breaks, it
  // watches on B after the last seq it received.
  const received: { event: CaseEvent__Output; via: "A" | "B" }[] = [];
  let streamError: ServiceError | undefined;
  let resumedAfter: number | undefined;
  const lastSeq = () => Number(received[received.length - 1]?.event.seq ?? "0");
  const watch = (client: ChannelServiceClient, via: "A" | "B", afterSeq: number) => {
    const stream = client.watchCase({ case_id: caseId, after_seq: String(afterSeq), channel: "CHAT", address }, auth(TOKENS.chat));
    stream.on("data", (event: CaseEvent__Output) => received.push({ event, via }));
    stream.on("error", (err: ServiceError) => {
      if (via === "B") return;
      streamError = err;
      resumedAfter = lastSeq();
      watch(clientB, "B", resumedAfter);
    });
    return stream;
  };
  const onA = watch(clientA, "A", 0);

  // The producer: a customer's messages through whichever gateway is up (a
  // Send that fails on A is retried on B with the same client message id),
  // and agent replies written straight to the log.
  let sendVia = clientA;
  let sends = 1;
  let lastWritten = Number(first.seq);
  let staleReplies = 0;
  let producing = true;
  const producer = (async () => {
    for (let i = 1; producing; i++) {
      if (i % 2 === 1) {
        const req = { channel: "CHAT" as const, address, text: `message ${sends}`, client_message_id: `fo-${sends}` };
        sends++;
        let answer;
        try {
          answer = await call(sendVia, "send", req, TOKENS.chat, { deadline: Date.now() + 3_000 });
        } catch (err) {
          if (sendVia === clientB) throw err;
          sendVia = clientB;
          answer = await call(clientB, "send", req, TOKENS.chat);
        }
        lastWritten = Math.max(lastWritten, Number(answer.seq));
      } else if (i % 6 === 0) {
        // A reply drafted on a stale view of the case: in the log, but it lost, so no customer may see it.
        const stale = stepWriter.append({ caseId, kind: "reply.drafted", data: { channel: "chat", text: `stale reply ${i}`, replyTo: null } }, { expectedCaseSeq: 1 });
        await assert.rejects(stale, ConflictError);
        staleReplies++;
      } else {
        const reply = await writer.append({ caseId, kind: "reply.drafted", data: { channel: "chat", text: `reply ${i}`, replyTo: null } });
        lastWritten = Math.max(lastWritten, reply.seq);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();

  await eventually("20 events through A", async () => (received.length >= 20 ? true : undefined));
  a.kill("SIGKILL");
  assert.equal(await a.exited, "SIGKILL");
  const killedAt = performance.now();
  const beforeKill = received.length;
  await eventually("the watch to resume on B", async () => (received.some((r) => r.via === "B") ? true : undefined));
  const resumeMs = performance.now() - killedAt;
  await eventually("20 more events through B", async () => (received.filter((r) => r.via === "B").length >= 20 ? true : undefined));
  producing = false;
  await producer;

  // Every customer-facing fact of the case, in log order, exactly once.
  const tail = await blackboard.getCase({ caseId, minSeq: lastWritten });
  const expected = tail.facts.filter((f) => CUSTOMER_FACING_KINDS.has(f.fact.kind)).map((f) => f.seq);
  await eventually("the watcher to catch up with the log", async () => (lastSeq() >= (expected[expected.length - 1] ?? 0) ? true : undefined));
  await new Promise((r) => setTimeout(r, 200)); // anything sent twice would arrive now
  const seqs = received.map((r) => Number(r.event.seq));

  assert.equal(streamError?.code, status.UNAVAILABLE, `A's stream ended with ${streamError?.code}: ${streamError?.details}`);
  assert.ok(received.some((r) => r.via === "A") && received.some((r) => r.via === "B"));
  assert.ok(received.filter((r) => r.via === "B").every((r) => Number(r.event.seq) > (resumedAfter ?? Infinity)), "B sends only what came after the resume point");
  assert.deepEqual(seqs, expected, "the events received are exactly the case's customer-facing facts, each once, in log order");
  assert.equal(received[0]?.event.kind, "CASE_EVENT_KIND_CASE_OPENED");
  const messages = tail.facts.filter((f) => f.fact.kind === "message.received");
  assert.equal(messages.length, sends, "a Send retried on B after A died is one message, not two");
  for (const r of received) assert.equal(r.event.case_id, caseId);
  assert.ok(staleReplies > 0 && received.every((r) => !r.event.text.startsWith("stale")), "replies that lost their optimistic append are never shown");
  onA.cancel();
  t.diagnostic(
    `failover: ${beforeKill} events via A before kill -9, ${received.filter((r) => r.via === "B").length} via B after; ` +
      `resumed after seq ${resumedAfter} in ${resumeMs.toFixed(0)} ms; ${seqs.length} events, ${sends} Sends, ${staleReplies} stale replies hidden`,
  );
});

test("bad configuration exits 2 (no NATS: 1) with a message naming what to fix, as a JSON log line", async () => {
  const held = createServer();
  await new Promise<void>((resolve) => held.listen(0, "127.0.0.1", () => resolve()));
  const heldPort = (held.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const cases: { what: string; env: NodeJS.ProcessEnv; address?: string; natsUrl?: string; exitCode?: number; message: RegExp }[] = [
    { what: "no credentials", env: { CASEMESH_GATEWAY_CREDENTIALS: undefined }, message: /needs CASEMESH_GATEWAY_CREDENTIALS or CASEMESH_GATEWAY_CREDENTIALS_FILE/ },
    { what: "malformed credentials", env: { CASEMESH_GATEWAY_CREDENTIALS: '[{"id": "chat"' }, message: /CASEMESH_GATEWAY_CREDENTIALS is not JSON/ },
    { what: "a TLS certificate without its key", env: { CASEMESH_GATEWAY_TLS_CERT_FILE: "/tmp/server.crt" }, message: /CASEMESH_GATEWAY_TLS_CERT_FILE and CASEMESH_GATEWAY_TLS_KEY_FILE must be set together/ },
    { what: "an address already in use", env: {}, address: `127.0.0.1:${heldPort}`, message: new RegExp(`cannot listen on 127\\.0\\.0\\.1:${heldPort}.*(in use|EADDRINUSE)`, "i") },
    // Not configuration, but no stack trace either: exit 1, for a supervisor to try again.
    { what: "NATS unreachable", env: {}, natsUrl: `nats://127.0.0.1:${closedPort}`, exitCode: 1, message: new RegExp(`did not start: cannot connect to NATS at nats://127\\.0\\.0\\.1:${closedPort}`) },
    { what: "a metrics port already in use", env: { CASEMESH_GATEWAY_METRICS_PORT: String(heldPort) }, message: new RegExp(`cannot serve /metrics on 127\\.0\\.0\\.1:${heldPort}.*EADDRINUSE`) },
  ];
  try {
    const results = await Promise.all(
      cases.map(async (c) => {
        const proc = spawnTs("gateway/main.ts", gatewayEnv({ natsUrl: c.natsUrl ?? server.url, gatewayId: "gw-bad", env: c.env, ...(c.address === undefined ? {} : { address: c.address }) }));
        return { c, code: await proc.exited, lines: proc.lines };
      }),
    );
    for (const { c, code, lines } of results) {
      assert.equal(code, c.exitCode ?? 2, `${c.what}: exit code ${code}; output:\n${lines.join("\n")}`);
      const parsed = lines.map((l) => {
        try {
          return JSON.parse(l) as { level?: string; msg?: string };
        } catch {
          return assert.fail(`${c.what}: a log line that is not JSON: ${l}`);
        }
      });
      const fatal = parsed.find((l) => l.level === "fatal");
      assert.match(fatal?.msg ?? "", c.message, `${c.what}: output:\n${lines.join("\n")}`);
    }
  } finally {
    held.close();
  }
});
