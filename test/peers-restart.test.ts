import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BlackboardClient } from "../blackboard/index.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { openNeed, startHost, testPeer, testWriter } from "./harness/mesh.ts";
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
