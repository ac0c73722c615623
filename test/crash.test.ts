import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BlackboardClient, FactWriter, type FactDraft } from "../blackboard/index.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { appendWindowed } from "./harness/load.ts";
import { connectTo, startNats, tempDir } from "./harness/nats.ts";
import { spawnBlackboard } from "./harness/processes.ts";
import { startReplica } from "./harness/replica.ts";

const CASES = 50;
const TOTAL = 5_000;

describe("kill -9 the blackboard in the middle of 5,000 appends", async () => {
  const server = await startNats();
  const nc = await connectTo(server);
  const client = new BlackboardClient(nc);
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const dir = await tempDir("casemesh-crash-");

  test("after a restart every fact is projected exactly once: count and digest match a fresh rebuild", async (t) => {
    const drafts: FactDraft[] = [];
    for (let c = 0; c < CASES; c++) drafts.push(caseOpened(`crash-${c}`));
    for (let i = drafts.length; i < TOTAL; i++) drafts.push(message(`crash-${i % CASES}`, `message ${i}`, i));

    let blackboard = await spawnBlackboard({ natsUrl: server.url, dir, replicaId: "crashy" });
    let killedAt: number | undefined;
    let killing: Promise<void> | undefined;
    const appended = await appendWindowed(writer, drafts, 64, (done) => {
      if (killing === undefined && done >= TOTAL / 3) {
        killing = (async () => {
          // Kill only once the replica is visibly mid-way through the log.
          for (;;) {
            const [status] = await client.replicas({ waitMs: 200 });
            if (status !== undefined && status.appliedSeq > 100) {
              blackboard.kill("SIGKILL");
              killedAt = status.appliedSeq;
              return;
            }
          }
        })();
      }
    });
    await killing;
    assert.equal(await blackboard.exited, "SIGKILL");
    assert.ok(killedAt !== undefined && killedAt < TOTAL, `killed at ${killedAt}`);
    const lastSeq = Math.max(...appended.map((a) => a.seq));
    t.diagnostic(`blackboard killed after applying ${killedAt} of ${TOTAL} facts`);
    assert.equal(lastSeq, TOTAL);

    blackboard = await spawnBlackboard({ natsUrl: server.url, dir, replicaId: "crashy" });
    const started = await blackboard.waitForLog((l) => l["msg"] === "blackboard replica started");
    assert.ok(Number(started["appliedSeq"]) >= (killedAt ?? 0), "it resumed from its folder instead of starting over");

    const fresh = await startReplica(nc, { replicaId: "fresh" });
    await fresh.waitFor(lastSeq, 60_000);
    // Wait for the restarted process through a query, as any reader would.
    await client.getCase({ caseId: "crash-0", minSeq: lastSeq, waitMs: 30_000 });
    const statuses = await client.replicas({ digest: true, waitMs: 2_000 });
    const restarted = statuses.find((s) => s.replicaId === "crashy");
    const rebuilt = await fresh.store.digest();
    assert.equal(restarted?.appliedSeq, lastSeq);
    assert.equal(restarted?.entries, rebuilt.entries);
    assert.equal(restarted?.digest, rebuilt.digest);

    // Count: every acknowledged fact once, nothing else.
    let projected = 0;
    const ids = new Set<string>();
    for (let c = 0; c < CASES; c++) {
      const got = await client.getCase({ caseId: `crash-${c}`, minSeq: lastSeq });
      projected += got.facts.length;
      assert.equal(got.case.factCount, got.facts.length);
      for (const f of got.facts) ids.add(f.fact.id);
    }
    assert.equal(projected, TOTAL);
    assert.deepEqual(ids, new Set(appended.map((a) => a.fact.id)));
  });
});
