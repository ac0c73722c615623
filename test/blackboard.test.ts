import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { describe, test } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { BlackboardClient, FactWriter, type FactDraft } from "../blackboard/index.ts";
import { NotCaughtUpError, NotFoundError, BadRequestError } from "../core/errors.ts";
import { createRegistry, serveMetrics } from "../observability/metrics-server.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { connectTo, startNats, tempDir } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";

const journey = (caseId: string, customerId: string): FactDraft[] => [
  caseOpened(caseId, customerId, "chat"),
  { caseId, kind: "customer.linked", data: { customerId, channel: "chat", address: "chat-user-42", verified: false } },
  message(caseId, "I was charged twice for my October bill"),
  { caseId, kind: "need.opened", data: { needId: `${caseId}-n1`, capability: "intent", input: {}, requires: [], attempt: 1, fallback: "human.triage" } },
  { caseId, kind: "need.claimed", data: { needId: `${caseId}-n1`, capability: "intent", attempt: 1, peer: "intent-1", leaseMs: 5000, bids: [] } },
  { caseId, kind: "intent.classified", data: { intent: "billing_dispute", confidence: 0.9, entities: { amounts: [], dates: ["October"], orderIds: [] } } },
  { caseId, kind: "need.done", data: { needId: `${caseId}-n1`, capability: "intent", peer: "intent-1", attempt: 1 } },
  { caseId, kind: "need.opened", data: { needId: `${caseId}-n2`, capability: "billing.dispute", input: {}, requires: ["identity.verified"], attempt: 1, fallback: null } },
  { caseId, kind: "identity.verified", data: { customerId, method: "channel_address", accountId: "acct-9" } },
  { caseId, kind: "preference.noted", data: { customerId, key: "language", value: "en" } },
  { caseId, kind: "customer.linked", data: { customerId, channel: "voice", address: "+44 20 7946 0018", verified: true } },
  { caseId, kind: "timer.set", data: { timerId: `${caseId}-t1`, dueAt: "2026-11-22T10:00:00.000Z", purpose: "confirm resolution by email", action: { capability: "followup.email", input: {} }, cancelIf: ["case.resolved"] } },
  { caseId, kind: "timer.set", data: { timerId: `${caseId}-t2`, dueAt: "2026-11-30T10:00:00.000Z", purpose: "SLA check", action: { capability: "followup.sla", input: {} }, cancelIf: [] } },
  { caseId, kind: "escalation.requested", data: { capability: "human.billing", reason: "credit above threshold", priority: "high" } },
];

describe("the blackboard", async () => {
  const server = await startNats();
  const nc = await connectTo(server);
  const client = new BlackboardClient(nc);
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const registry = createRegistry();
  const replicaA = await startReplica(nc, { replicaId: "a", registry });
  const registryB = createRegistry();
  const replicaB = await startReplica(nc, { replicaId: "b", registry: registryB });

  test("read-your-writes: a query with the appended sequence as minSeq always sees that fact", async () => {
    await writer.append(caseOpened("ryw-1"));
    for (let i = 0; i < 300; i++) {
      const appended = await writer.append(message("ryw-1", `message ${i}`, i));
      // No waiting in the test: the replica must wait for minSeq itself.
      const got = await client.getCase({ caseId: "ryw-1", minSeq: appended.seq });
      assert.equal(got.facts.at(-1)?.fact.id, appended.fact.id, `iteration ${i}`);
      assert.ok(got.appliedSeq >= appended.seq);
    }
  });

  test("a minSeq the log has not reached fails with a clear NOT_CAUGHT_UP error", async () => {
    await assert.rejects(client.getCase({ caseId: "ryw-1", minSeq: 1_000_000, waitMs: 200 }), (err: unknown) => {
      assert.ok(err instanceof NotCaughtUpError);
      assert.match(err.message, /not 1000000, within 200 ms/);
      return true;
    });
  });

  test("projections: case state, customer memory across cases, address index, status lists, open needs, due timers", async () => {
    const appended = await writer.appendAll([...journey("j-1", "cust-7"), caseOpened("j-2", "cust-7", "voice")]);
    const minSeq = Math.max(...appended.map((a) => a.seq));

    const got = await client.getCase({ caseId: "j-1", minSeq });
    assert.equal(got.case.customerId, "cust-7");
    assert.equal(got.case.status, "escalated");
    assert.equal(got.case.intent, "billing_dispute");
    assert.equal(got.case.identityVerified, true);
    assert.deepEqual(got.case.channels, ["chat"]);
    assert.deepEqual(got.case.openNeeds, ["j-1-n2"]);
    assert.equal(got.facts.length, journey("j-1", "cust-7").length);

    const memory = await client.getCustomer({ customerId: "cust-7", minSeq });
    assert.deepEqual(memory.customer.cases.map((c) => [c.caseId, c.status]), [["j-1", "escalated"], ["j-2", "open"]]);
    assert.equal(memory.customer.preferences["language"], "en");
    assert.equal(memory.customer.verified?.accountId, "acct-9");

    // A different spelling of the same phone number finds the same customer.
    const byPhone = await client.findCustomerByAddress({ channel: "voice", address: "+442079460018", minSeq });
    assert.equal(byPhone.customerId, "cust-7");
    assert.equal(byPhone.verified, true);
    await assert.rejects(client.findCustomerByAddress({ channel: "email", address: "nobody@example.com", minSeq }), NotFoundError);

    const escalated = await client.listCasesByStatus({ status: "escalated", minSeq });
    assert.deepEqual(escalated.cases.map((c) => c.caseId), ["j-1"]);
    const open = await client.listCasesByStatus({ status: "open", limit: 1000, minSeq });
    assert.ok(open.cases.some((c) => c.caseId === "j-2"));
    assert.ok(!open.cases.some((c) => c.caseId === "j-1"));

    const needs = await client.listOpenNeeds({ capability: "billing.dispute", minSeq });
    assert.deepEqual(needs.needs.map((n) => [n.needId, n.requires]), [["j-1-n2", ["identity.verified"]]]);
    assert.equal((await client.listOpenNeeds({ capability: "intent", minSeq })).needs.length, 0);

    const due = await client.listDueTimers({ before: "2026-11-23T00:00:00.000Z", minSeq });
    assert.deepEqual(due.timers.map((t) => t.timerId), ["j-1-t1"]);
    const fired = await writer.append({ caseId: "j-1", kind: "timer.fired", data: { timerId: "j-1-t1", needId: null } });
    const after = await client.listDueTimers({ before: "2026-12-31T00:00:00.000Z", minSeq: fired.seq });
    assert.deepEqual(after.timers.map((t) => t.timerId), ["j-1-t2"]);
  });

  test("a step's context in one query: the case at the need's version, its facts and the customer's memory across cases", async () => {
    // The journey without its escalation: the escalated count belongs to the metrics test below.
    const appended = await writer.appendAll([...journey("ctx-1", "cust-ctx").slice(0, -1), caseOpened("ctx-2", "cust-ctx", "voice")]);
    const minSeq = Math.max(...appended.map((a) => a.seq));
    const got = await client.getCaseContext({ caseId: "ctx-2", minSeq });
    assert.equal(got.case.caseId, "ctx-2");
    assert.deepEqual(got.facts.map((f) => f.fact.kind), ["case.opened"]);
    assert.ok(got.appliedSeq >= minSeq);
    // What the customer told the mesh on the first case is there on the second.
    assert.deepEqual(got.customer?.cases.map((c) => c.caseId), ["ctx-1", "ctx-2"]);
    assert.equal(got.customer?.verified?.accountId, "acct-9");
    assert.equal(got.customer?.preferences["language"], "en");

    // A case that never named a customer has no memory to give.
    const lone = await writer.append({
      caseId: "ctx-lone",
      kind: "intent.classified",
      data: { intent: "other", confidence: 0.5, entities: { amounts: [], dates: [], orderIds: [] } },
    });
    const loneContext = await client.getCaseContext({ caseId: "ctx-lone", minSeq: lone.seq });
    assert.equal(loneContext.customer, null);
    assert.equal(loneContext.facts.length, 1);
    await assert.rejects(client.getCaseContext({ caseId: "ctx-none", minSeq: lone.seq }), NotFoundError);
  });

  test("a fact published raw that breaks its contract is dead-lettered with the reason and never projected", async () => {
    const good = await writer.append(caseOpened("dl-1"));
    const js = jetstream(nc);
    const bad = writer.build(message("dl-1", "hello"));
    const broken = { ...bad, data: { ...bad.data, channel: "pigeon" } };
    const a = await js.publish("casemesh.fact.dl-1.message.received", JSON.stringify(broken));
    const b = await js.publish("casemesh.fact.dl-1.message.received", "not json at all {");
    const c = await js.publish("casemesh.fact.dl-2.message.received", JSON.stringify(bad)); // subject names another case
    const after = await writer.append(message("dl-1", "still works", 2));

    const got = await client.getCase({ caseId: "dl-1", minSeq: after.seq });
    assert.deepEqual(got.facts.map((f) => f.seq), [good.seq, after.seq]);
    await assert.rejects(client.getCase({ caseId: "dl-2", minSeq: after.seq }), NotFoundError);

    const listed = await client.listDeadLetters({ minSeq: after.seq });
    const bySeq = new Map(listed.deadLetters.map((d) => [d.seq, d]));
    assert.equal(bySeq.get(a.seq)?.reason, "contract");
    assert.match(bySeq.get(a.seq)?.detail ?? "", /data\.channel/);
    assert.equal(bySeq.get(b.seq)?.reason, "not_json");
    assert.equal(bySeq.get(c.seq)?.reason, "subject_mismatch");

    // Recorded once in the dead-letter stream, even with two replicas applying the log.
    await replicaB.waitFor(after.seq);
    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage("CASEMESH_DEADLETTER", { last_by_subj: `casemesh.deadletter.${a.seq}` });
    assert.ok(stored !== null, "the dead letter is stored");
    assert.match(stored.string(), /"reason":"contract"/);
    const info = await jsm.streams.info("CASEMESH_DEADLETTER");
    assert.equal(info.state.messages, 3);
  });

  test("an optimistic append carried on a raw publish is judged the same way by every replica", async () => {
    const opened = await writer.append(caseOpened("occ-raw"));
    const h = headers();
    h.set("Casemesh-Expect-Case-Seq", String(opened.seq - 1));
    const stale = writer.build(message("occ-raw", "stale"));
    const ack = await jetstream(nc).publish("casemesh.fact.occ-raw.message.received", JSON.stringify(stale), { headers: h });
    assert.deepEqual(await client.factVerdict(ack.seq), { status: "conflict", reason: `case occ-raw was at sequence ${opened.seq}, not ${opened.seq - 1}` });
    await replicaB.waitFor(ack.seq);
    assert.equal((await replicaB.store.caseState("occ-raw"))?.factCount, 1);
  });

  test("bad queries are refused with the field named", async () => {
    await assert.rejects(client.getCase({ caseId: "no.such>case" }), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.match(err.message, /caseId/);
      return true;
    });
    const reply = await nc.request("casemesh.bb.case.get", "{not json", { timeout: 2000 });
    assert.match(reply.string(), /"code":"BAD_REQUEST"/);
  });

  test("two replicas fed the same log hold identical projections (digest)", async () => {
    const last = await writer.append(message("ryw-1", "final", 9999));
    await replicaA.waitFor(last.seq);
    await replicaB.waitFor(last.seq);
    const [a, b] = [await replicaA.store.digest(), await replicaB.store.digest()];
    assert.ok(a.entries > 300, `only ${a.entries} entries`);
    assert.equal(a.digest, b.digest);
    // Every replica answers status; both report the same digest.
    const statuses = await client.replicas({ digest: true });
    assert.deepEqual(statuses.map((s) => s.replicaId).sort(), ["a", "b"]);
    assert.equal(new Set(statuses.map((s) => s.digest)).size, 1);
  });

  test("deleting a replica's folder and restarting rebuilds an identical projection", async () => {
    const dir = await tempDir();
    const first = await startReplica(nc, { replicaId: "rebuild", dir });
    await first.waitFor(replicaA.appliedSeq);
    await first.stop();
    await rm(dir, { recursive: true, force: true });
    const rebuilt = await startReplica(nc, { replicaId: "rebuild", dir });
    await rebuilt.waitFor(replicaA.appliedSeq);
    assert.equal(rebuilt.appliedSeq, replicaA.appliedSeq);
    assert.deepEqual(await rebuilt.store.digest(), await replicaA.store.digest());
  });

  test("/metrics shows what the replica did", async () => {
    const metrics = await serveMetrics(registry, "127.0.0.1", 0);
    try {
      const body = await (await fetch(metrics.url)).text();
      assert.match(body, /casemesh_blackboard_facts_projected_total\{kind="message.received"\} \d+/);
      assert.match(body, /casemesh_blackboard_dead_letters_total\{reason="not_json"\} 1/);
      assert.match(body, /casemesh_contract_violations_total\{kind="message.received",stage="blackboard"\} 2/);
      assert.match(body, new RegExp(`casemesh_blackboard_applied_sequence ${replicaA.appliedSeq}`));
      assert.match(body, /casemesh_cases\{status="escalated"\} 1/);
      // Queries go to whichever replica of the queue group is free: count both.
      const bodyB = await registryB.metrics();
      const notCaughtUp = [body, bodyB]
        .map((b) => /casemesh_blackboard_queries_total\{op="case.get",outcome="not_caught_up"\} (\d+)/.exec(b)?.[1] ?? "0")
        .reduce((sum, n) => sum + Number(n), 0);
      assert.equal(notCaughtUp, 1);
    } finally {
      await metrics.close();
    }
  });
});
