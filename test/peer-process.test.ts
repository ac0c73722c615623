import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { peerEnv, spawnPeer, spawnTs, type TestProcess } from "./harness/processes.ts";
import { TEST_HEARTBEAT_MS, TEST_LEASE_MS, openNeed, startMesh } from "./harness/mesh.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

type Claimed = { peer: string; attempt: number };

describe("peer processes", async () => {
  const { server, client, writer } = await startMesh();

  /** Starts test/fixtures/slow-peer.ts as its own process and waits until it serves. */
  async function slowPeer(peerId: string, stepMs: number, extraEnv: Record<string, string> = {}): Promise<TestProcess> {
    return spawnPeer("test/fixtures/slow-peer.ts", server.url, {
      TEST_PEER_ID: peerId,
      TEST_STEP_MS: String(stepMs),
      CASEMESH_HOST_ID: `host-${peerId}`,
      ...extraEnv,
    });
  }

  const startedSteps = (proc: TestProcess) => proc.lines.filter((l) => l.includes('"msg":"step started"')).length;

  test("kill -9 a peer holding claims: another peer does each need within lease + one heartbeat, with no duplicate facts", async (t) => {
    const a = await slowPeer("slow-a", 30_000);
    const needs = [0, 1, 2, 3, 4].map((i) => ({ caseId: `kill-${i}`, needId: `kill-${i}-n` }));
    for (const n of needs) await openNeed(writer, n.caseId, n.needId, "slow.work");
    await a.waitForLog(() => startedSteps(a) === needs.length, 20_000);
    const b = await slowPeer("slow-b", 200);

    a.kill("SIGKILL");
    const killedAt = Date.now();
    assert.equal(await a.exited, "SIGKILL");

    const bound = TEST_LEASE_MS + TEST_HEARTBEAT_MS;
    for (const n of needs) {
      const facts = await caseFactsWhen(client, n.caseId, (fs) => needFacts(fs, "need.done", n.needId).length > 0, 30_000);
      const claims = needFacts(facts, "need.claimed", n.needId).map((f) => ({ ...(f.fact.data as Claimed), at: Date.parse(f.fact.at) }));
      assert.deepEqual(claims.map((c) => [c.attempt, c.peer]), [[1, "slow-a"], [2, "slow-b"]]);
      const reAwardMs = (claims[1]?.at ?? Infinity) - killedAt;
      t.diagnostic(`${n.needId} re-awarded ${reAwardMs} ms after the kill (lease ${TEST_LEASE_MS} + heartbeat ${TEST_HEARTBEAT_MS})`);
      // A little scheduling slack on a busy 2-core machine, no more.
      assert.ok(reAwardMs <= bound + 400, `${n.needId} re-awarded after ${reAwardMs} ms, more than ${bound} ms`);
      assert.equal(needFacts(facts, "need.done", n.needId).length, 1);
      assert.equal((needFacts(facts, "need.done", n.needId)[0]?.fact.data as { peer: string }).peer, "slow-b");
      const results = facts.filter((f) => f.fact.kind === "preference.noted" && f.fact.needId === n.needId);
      assert.equal(results.length, 1, "the step's fact is written once");
      // Both runs got the same idempotency key, so a side effect outside the mesh can be made once.
      const keys = [...a.lines, ...b.lines].filter((l) => l.includes('"msg":"step started"') && l.includes(`"needId":"${n.needId}"`)).map((l) => (JSON.parse(l) as { idempotencyKey: string }).idempotencyKey);
      assert.equal(keys.length, 2);
      assert.equal(new Set(keys).size, 1);
    }
    b.kill("SIGTERM");
    assert.equal(await b.exited, 0);
  });

  test("a peer killed with -9 and restarted under the same id, the only one serving its capability, gets its need back", async () => {
    const first = await slowPeer("slow-solo", 30_000, { TEST_CAPABILITY: "solo.work" });
    await openNeed(writer, "solo-1", "solo-1-n", "solo.work");
    await first.waitForLog(() => startedSteps(first) === 1, 20_000);
    first.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");
    const again = await slowPeer("slow-solo", 100, { TEST_CAPABILITY: "solo.work" });
    const facts = await caseFactsWhen(client, "solo-1", (fs) => needFacts(fs, "need.done", "solo-1-n").length === 1, 20_000);
    assert.deepEqual(needFacts(facts, "need.claimed", "solo-1-n").map((f) => (f.fact.data as Claimed).attempt), [1, 2]);
    again.kill("SIGTERM");
    assert.equal(await again.exited, 0);
  });

  test("a peer restarted at once under a new host id is not mistaken for a twin of its dead self", async () => {
    const first = await slowPeer("slow-reborn", 100, { CASEMESH_HOST_ID: "reborn-1" });
    first.kill("SIGKILL");
    await first.exited;
    // A supervisor restarts it straight away; its old presence entry is still fresh.
    const second = await slowPeer("slow-reborn", 100, { CASEMESH_HOST_ID: "reborn-2" });
    await openNeed(writer, "reborn-1", "reborn-1-n", "slow.work");
    const facts = await caseFactsWhen(client, "reborn-1", (fs) => needFacts(fs, "need.done", "reborn-1-n").length === 1, 20_000);
    assert.equal((needFacts(facts, "need.done", "reborn-1-n")[0]?.fact.data as { peer: string }).peer, "slow-reborn");
    second.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });

  test("SIGTERM drains: steps in progress finish, the process exits 0, and new needs go elsewhere", async () => {
    const c = await slowPeer("slow-c", 1_500, { CASEMESH_DRAIN_GRACE_MS: "10000" });
    await openNeed(writer, "drain-1", "drain-1-n", "slow.work");
    await c.waitForLog(() => startedSteps(c) === 1, 20_000);
    c.kill("SIGTERM");
    await c.waitForLog((l) => l["msg"] === "draining", 5_000);
    const drain2 = await openNeed(writer, "drain-2", "drain-2-n", "slow.work");
    assert.equal(await c.exited, 0);
    const first = await caseFactsWhen(client, "drain-1", (fs) => needFacts(fs, "need.done", "drain-1-n").length === 1);
    assert.equal((needFacts(first, "need.done", "drain-1-n")[0]?.fact.data as { peer: string }).peer, "slow-c");
    const notYet = await client.getCase({ caseId: "drain-2", minSeq: drain2 });
    assert.equal(needFacts(notYet.facts, "need.claimed", "drain-2-n").length, 0, "a draining peer takes no new work");

    const d = await slowPeer("slow-d", 100);
    const second = await caseFactsWhen(client, "drain-2", (fs) => needFacts(fs, "need.done", "drain-2-n").length === 1, 20_000);
    assert.equal((needFacts(second, "need.done", "drain-2-n")[0]?.fact.data as { peer: string }).peer, "slow-d");
    d.kill("SIGTERM");
    assert.equal(await d.exited, 0);
  });

  test("a step that outlasts the drain grace has its claim released and is done elsewhere at once", async () => {
    const e = await slowPeer("slow-e", 60_000, { CASEMESH_DRAIN_GRACE_MS: "300" });
    await openNeed(writer, "grace-1", "grace-1-n", "slow.work");
    await e.waitForLog(() => startedSteps(e) === 1, 20_000);
    const f = await slowPeer("slow-f", 100);

    e.kill("SIGTERM");
    assert.equal(await e.exited, 0);
    const stoppedAt = Date.now();
    const facts = await caseFactsWhen(client, "grace-1", (fs) => needFacts(fs, "need.done", "grace-1-n").length === 1, 20_000);
    const claims = needFacts(facts, "need.claimed", "grace-1-n").map((x) => ({ ...(x.fact.data as Claimed), at: Date.parse(x.fact.at) }));
    assert.deepEqual(claims.map((c) => c.peer), ["slow-e", "slow-f"]);
    assert.equal((needFacts(facts, "need.done", "grace-1-n")[0]?.fact.data as { peer: string }).peer, "slow-f");
    assert.ok((claims[1]?.at ?? Infinity) - stoppedAt < TEST_LEASE_MS, "a released claim is offered again without waiting for the lease");
    f.kill("SIGTERM");
    assert.equal(await f.exited, 0);
  });
});

describe("the example peer in peers/examples", async () => {
  const { server, client, writer } = await startMesh();

  test("runs as its own process, drafts an acknowledgement on the customer's channel and hands on to followup.schedule", async () => {
    const proc = await spawnPeer("peers/examples/acknowledge.ts", server.url);
    await writer.append({ caseId: "ack-1", kind: "case.opened", data: { customerId: "ack-cust", channel: "voice", tier: "standard" } });
    await writer.append({ caseId: "ack-1", kind: "preference.noted", data: { customerId: "ack-cust", key: "name", value: "Ada" } });
    await writer.append({ caseId: "ack-1", kind: "need.opened", data: { needId: "ack-1-n", capability: "reply.ack", input: { topic: "billing" }, requires: [], attempt: 1, fallback: null } });
    const facts = await caseFactsWhen(client, "ack-1", (fs) => needFacts(fs, "need.done", "ack-1-n").length === 1);
    const reply = facts.find((f) => f.fact.kind === "reply.drafted")?.fact.data as { channel: string; text: string };
    assert.deepEqual(reply, { channel: "voice", text: "Hello Ada, we have your message about billing and are on it.", replyTo: null });
    const followup = facts.find((f) => f.fact.kind === "need.opened" && (f.fact.data as { capability: string }).capability === "followup.schedule");
    const input = (followup?.fact.data as { input: Record<string, unknown> }).input;
    assert.equal(input["delayMs"], 24 * 3_600_000);
    assert.deepEqual(input["cancelIf"], ["case.resolved"]);
    // A second copy under the same id is refused: both would take the same awards.
    const twin = spawnTs("peers/examples/acknowledge.ts", peerEnv(server.url));
    assert.equal(await twin.exited, 2);
    assert.ok(twin.lines.some((l) => l.includes("peer id acknowledge-1 is already live")), twin.lines.join("\n"));
    proc.kill("SIGTERM");
    assert.equal(await proc.exited, 0);
  });
});
