import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import { describe, test } from "node:test";
import { z } from "zod";
import { ContractStore, FactRegistry, factRegistry, type StoredFact } from "../blackboard/index.ts";
import { ConflictError, newId } from "../core/index.ts";
import { TEST_SOURCE, caseOpened } from "./harness/facts.ts";
import { openNeed, startMesh } from "./harness/mesh.ts";
import { spawnPeer } from "./harness/processes.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

/** A fact envelope of `kind`, as a peer of another build (or a rogue one) would publish it. */
function rawFact(caseId: string, kind: string, data: unknown): string {
  return JSON.stringify({
    id: newId(),
    caseId,
    kind,
    v: 1,
    at: new Date().toISOString(),
    source: TEST_SOURCE,
    causedBy: null,
    needId: null,
    traceparent: null,
    data,
  });
}

describe("a peer defined outside the blackboard brings its own fact kind to a running mesh", async () => {
  // The replica starts here, before the peer, in a process that has never heard of survey.answered.
  const { server, nc, client, writer } = await startMesh();
  const js = jetstream(nc);
  assert.equal(factRegistry.has("survey.answered"), false);

  test("before any peer registers it, a fact of the kind is dead-lettered as unknown_kind", async () => {
    await writer.append(caseOpened("survey-early"));
    const a = await js.publish("casemesh.fact.survey-early.survey.answered", rawFact("survey-early", "survey.answered", { score: 4, comment: "" }));
    const listed = await client.listDeadLetters({ minSeq: a.seq });
    const dead = listed.deadLetters.find((d) => d.seq === a.seq);
    assert.equal(dead?.reason, "unknown_kind");
    assert.match(dead?.detail ?? "", /survey\.answered v1 is not registered/);
  });

  test("the peer joins, registers survey.answered, writes one; the replica started before it projects it and enforces its contract", async () => {
    const peer = await spawnPeer("test/fixtures/survey-peer.ts", server.url, { CASEMESH_HOST_ID: "host-survey" });
    const stored = await (await ContractStore.open(nc)).read("survey.answered", 1);
    assert.equal(stored?.owner, "survey");

    await openNeed(writer, "survey-1", "survey-1-n", "survey.collect", { input: { score: "4" } });
    const facts = await caseFactsWhen(client, "survey-1", (fs) => needFacts(fs, "need.done", "survey-1-n").length > 0, 30_000);
    const answered = facts.filter((f: StoredFact) => f.fact.kind === "survey.answered");
    assert.equal(answered.length, 1);
    assert.deepEqual(answered[0]?.fact.data, { score: 4, comment: "thank you" });

    // The replica checks the learned contract, not just the kind's name.
    const bad = await js.publish("casemesh.fact.survey-1.survey.answered", rawFact("survey-1", "survey.answered", { score: 9, comment: "" }));
    const listed = await client.listDeadLetters({ minSeq: bad.seq });
    const dead = listed.deadLetters.find((d) => d.seq === bad.seq);
    assert.equal(dead?.reason, "contract");
    assert.match(dead?.detail ?? "", /survey\.answered v1 is invalid at data\.score/);
    const after = await client.getCase({ caseId: "survey-1", minSeq: bad.seq });
    assert.equal(after.facts.filter((f) => f.fact.kind === "survey.answered").length, 1);

    peer.kill("SIGTERM");
    assert.equal(await peer.exited, 0);
  });

  test("a second definition of survey.answered v1 with another contract is refused by the mesh, naming the owner", async () => {
    const rival = new FactRegistry();
    rival.register("rival", { "survey.answered": { v: 1, description: "rated", data: z.strictObject({ score: z.string() }) } });
    await assert.rejects((await ContractStore.open(nc)).publish(rival), (err: unknown) => err instanceof ConflictError && /registered in the mesh by survey/.test(err.message));
  });
});
