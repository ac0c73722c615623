import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BlackboardClient, FactWriter, type FactDraft } from "../blackboard/index.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { appendWindowed } from "./harness/load.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";

const CASES = 20;
const TOTAL = 3_000;

describe("stop and restart nats-server in the middle of appends", async () => {
  const server = await startNats();
  // Separate connections, as separate processes would have.
  const writerNc = await connectTo(server, "writer");
  const replicaNc = await connectTo(server, "replica");
  const queryNc = await connectTo(server, "reader");
  const writer = await FactWriter.create({ nc: writerNc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const replica = await startReplica(replicaNc, { replicaId: "survivor" });
  const client = new BlackboardClient(queryNc);

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    test(`${signal}: the writer and the blackboard reconnect; no acknowledged fact is lost or applied twice`, async (t) => {
      const prefix = `restart-${signal}`;
      const drafts: FactDraft[] = [];
      for (let c = 0; c < CASES; c++) drafts.push(caseOpened(`${prefix}-${c}`));
      for (let i = drafts.length; i < TOTAL; i++) drafts.push(message(`${prefix}-${i % CASES}`, `message ${i}`, i));

      let restarting: Promise<void> | undefined;
      let ackedBeforeRestart = 0;
      const appended = await appendWindowed(writer, drafts, 64, (done) => {
        if (restarting === undefined && done >= TOTAL / 3) {
          ackedBeforeRestart = done;
          restarting = (async () => {
            await server.stop(signal);
            await new Promise((r) => setTimeout(r, 500));
            await server.restart();
          })();
        }
      });
      await restarting;
      t.diagnostic(`nats-server stopped with ${signal} after ${ackedBeforeRestart} of ${TOTAL} acknowledgements`);
      assert.ok(ackedBeforeRestart < TOTAL);

      const lastSeq = Math.max(...appended.map((a) => a.seq));
      await replica.waitFor(lastSeq, 30_000);

      let projected = 0;
      const ids = new Set<string>();
      for (let c = 0; c < CASES; c++) {
        const got = await client.getCase({ caseId: `${prefix}-${c}`, minSeq: lastSeq, waitMs: 10_000 });
        projected += got.facts.length;
        assert.equal(got.case.factCount, got.facts.length);
        for (const f of got.facts) {
          assert.ok(!ids.has(f.fact.id), `fact ${f.fact.id} projected twice`);
          ids.add(f.fact.id);
        }
      }
      // Every acknowledged fact is there, once.
      for (const a of appended) assert.ok(ids.has(a.fact.id), `acknowledged fact at seq ${a.seq} is missing`);
      assert.equal(projected, TOTAL);
    });
  }
});
