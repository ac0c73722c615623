import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BlackboardClient } from "../blackboard/index.ts";
import { connectTo, startNats, tempDir } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { TEST_LEASE_MS, openNeed, startHost, testPeer, testWriter } from "./harness/mesh.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

describe("the peer runtime across a nats-server restart", async () => {
  const server = await startNats();
  const nc = await connectTo(server, "writer");
  await startReplica(await connectTo(server, "replica"));
  const client = new BlackboardClient(nc);
  const writer = await testWriter(nc);
  const runs = new Map<string, number>();
  for (const h of [0, 1]) {
    await startHost(await connectTo(server, `host-${h}`), [
      testPeer(`survivor-${h}`, "survive", async (_input, ctx) => {
        runs.set(ctx.need.needId, (runs.get(ctx.need.needId) ?? 0) + 1);
        return {};
      }),
    ]);
  }

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    test(`${signal}: peers reconnect, their directory and consumer resume, and every need is done once`, async () => {
      const before = Array.from({ length: 20 }, (_, i) => `${signal}-before-${i}`);
      for (const id of before) await openNeed(writer, id, `${id}-n`, "survive");
      await server.stop(signal);
      await new Promise((r) => setTimeout(r, 500));
      await server.restart();
      const after = Array.from({ length: 20 }, (_, i) => `${signal}-after-${i}`);
      for (const id of after) await openNeed(writer, id, `${id}-n`, "survive");
      for (const id of [...before, ...after]) {
        const facts = await caseFactsWhen(client, id, (fs) => needFacts(fs, "need.done", `${id}-n`).length > 0, 30_000);
        assert.equal(needFacts(facts, "need.done", `${id}-n`).length, 1, `${id} done once`);
      }
      for (const id of after) assert.equal(runs.get(`${id}-n`), 1, `${id} ran once`);
    });
  }
});

describe("the peer runtime while the blackboard is down", async () => {
  const server = await startNats();
  const nc = await connectTo(server, "writer");
  const dir = await tempDir("casemesh-bb-down-");
  const replicaNc = await connectTo(server, "replica");
  const first = await startReplica(replicaNc, { dir, replicaId: "down" });
  const client = new BlackboardClient(nc);
  const writer = await testWriter(nc);
  let runs = 0;
  await startHost(await connectTo(server, "host"), [
    testPeer("patient", "patient.work", async () => {
      runs++;
      return {};
    }),
  ]);

  test("an awarded step waits for the blackboard instead of letting its lease lapse", async () => {
    const seq = await openNeed(writer, "down-1", "down-1-n", "patient.work", { routing: { tier: "standard", previousHandler: null } });
    await first.waitFor(seq - 1);
    await first.stop();
    // Three leases pass with no blackboard: the holder keeps its claim.
    await new Promise((r) => setTimeout(r, 3 * TEST_LEASE_MS));
    await startReplica(replicaNc, { dir, replicaId: "down" });
    const facts = await caseFactsWhen(client, "down-1", (fs) => needFacts(fs, "need.done", "down-1-n").length === 1, 30_000);
    assert.deepEqual(needFacts(facts, "need.claimed", "down-1-n").map((f) => (f.fact.data as { attempt: number }).attempt), [1]);
    assert.equal(runs, 1);
  });
});
