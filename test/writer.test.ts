import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import { ConflictError, TooLargeError } from "../core/errors.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";

describe("the blackboard writer", async () => {
  const server = await startNats();
  const nc = await connectTo(server);
  const jsm = await jetstreamManager(nc);
  const client = new BlackboardClient(nc);
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000, verdicts: client });
  await startReplica(nc);

  test("the same fact appended twice with the same msg id is stored once", async () => {
    const fact = writer.build(caseOpened("dup-1"));
    const first = await writer.appendFact(fact, { msgId: "need-1:case.opened" });
    // A retried step builds the fact again (new id, new time) but keeps its msg id.
    const again = writer.build(caseOpened("dup-1"));
    const second = await writer.appendFact(again, { msgId: "need-1:case.opened" });
    assert.equal(first.duplicate, false);
    assert.equal(second.duplicate, true);
    assert.equal(second.seq, first.seq);
    const got = await client.getCase({ caseId: "dup-1", minSeq: first.seq });
    assert.equal(got.facts.length, 1);
    assert.equal(got.facts[0]?.fact.id, fact.id);
    const msgs = await jsm.streams.info("CASEMESH_FACTS", { subjects_filter: "casemesh.fact.dup-1.>" });
    assert.equal(msgs.state.num_subjects, 1);
  });

  test("pipelined appends each return their own sequence, in order", async () => {
    const drafts = Array.from({ length: 500 }, (_, i) => message("pipe-1", `message ${i}`, i));
    const appended = await writer.appendAll([caseOpened("pipe-1"), ...drafts]);
    const seqs = appended.map((a) => a.seq);
    assert.equal(new Set(seqs).size, 501);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    // 501 facts to project: on a busy machine that can take the replica longer than the default 5 s wait.
    const got = await client.getCase({ caseId: "pipe-1", minSeq: Math.max(...seqs), waitMs: 30_000 });
    assert.equal(got.case.factCount, 501);
    assert.deepEqual(got.facts.map((f) => f.seq), seqs);
  });

  test("a fact larger than the limit is refused before it is sent", async () => {
    const drafts = caseOpened("big-1");
    const fact = writer.build(drafts);
    const huge = { ...fact, data: { ...fact.data, customerId: "x".repeat(200_000) } };
    await assert.rejects(writer.appendFact(huge as typeof fact), TooLargeError);
  });

  test("optimistic concurrency: an append expecting an old case version is rejected, one expecting the current version lands", async () => {
    const opened = await writer.append(caseOpened("occ-1"));
    const moved = await writer.append(message("occ-1", "first"));
    // Two writers both read the case at `moved.seq`; the first one wins.
    const winner = await writer.append(message("occ-1", "winner", 2), { expectedCaseSeq: moved.seq });
    await assert.rejects(writer.append(message("occ-1", "loser", 3), { expectedCaseSeq: moved.seq }), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.match(err.message, new RegExp(`was at sequence ${winner.seq}, not ${moved.seq}`));
      return true;
    });
    const got = await client.getCase({ caseId: "occ-1", minSeq: winner.seq + 1 });
    assert.deepEqual(
      got.facts.map((f) => (f.fact.kind === "message.received" ? (f.fact.data as { text: string }).text : f.fact.kind)),
      ["case.opened", "first", "winner"],
    );
    assert.equal(got.case.lastSeq, winner.seq);
    // A brand-new case expects version 0.
    await writer.append(caseOpened("occ-2"), { expectedCaseSeq: 0 });
    await assert.rejects(writer.append(caseOpened("occ-2"), { expectedCaseSeq: 0 }), ConflictError);
    assert.ok(opened.seq > 0);
  });
});
