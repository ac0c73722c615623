import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jetstream } from "@nats-io/jetstream";
import { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import { createRegistry, serveMetrics } from "../observability/metrics-server.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { openNeed, startHost, testPeer, testWriter } from "./harness/mesh.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

describe("metrics", async () => {
  const server = await startNats();
  const nc = await connectTo(server);
  const registry = createRegistry({ role: "blackboard" });
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000, registry });
  await startReplica(nc, { registry });
  const client = new BlackboardClient(nc);

  test("every metric a blackboard process serves passes promtool check metrics", async () => {
    await writer.append(caseOpened("m-1"));
    const last = await writer.append(message("m-1", "hello"));
    await jetstream(nc).publish("casemesh.fact.m-1.message.received", "garbage");
    await client.getCase({ caseId: "m-1", minSeq: last.seq });
    await client.getCase({ caseId: "m-404" }).catch(() => undefined);

    const metrics = await serveMetrics(registry, "127.0.0.1", 0);
    const body = await (await fetch(metrics.url)).text();
    await metrics.close();
    for (const name of [
      "casemesh_facts_appended_total",
      "casemesh_fact_append_duration_seconds",
      "casemesh_blackboard_facts_projected_total",
      "casemesh_blackboard_dead_letters_total",
      "casemesh_blackboard_query_duration_seconds",
      "casemesh_cases",
    ]) {
      assert.match(body, new RegExp(`^# TYPE ${name} `, "m"), `${name} is served`);
    }
    assertPromtoolClean(body);
  });

  test("a peer process serves every handoff metric, and they pass promtool check metrics", async () => {
    const peerRegistry = createRegistry({ role: "peers" });
    await startHost(nc, [testPeer("m-peer", "metered", async () => ({}))], { registry: peerRegistry });
    await openNeed(await testWriter(nc), "m-2", "m-2-n", "metered");
    await caseFactsWhen(client, "m-2", (fs) => needFacts(fs, "need.done", "m-2-n").length === 1);
    const body = await peerRegistry.metrics();
    assert.equal(sample(body, "casemesh_handoffs_total", { from_capability: "gateway", to_capability: "metered", outcome: "awarded" }), 1);
    assert.equal(sample(body, "casemesh_handoffs_total", { from_capability: "gateway", to_capability: "metered", outcome: "done" }), 1);
    assert.equal(sample(body, "casemesh_need_claim_latency_seconds_count", { capability: "metered" }), 1);
    assert.equal(sample(body, "casemesh_step_duration_seconds_count", { capability: "metered", outcome: "ok" }), 1);
    assert.equal(sample(body, "casemesh_auction_bids_sum", { capability: "metered" }), 1);
    for (const name of ["casemesh_lease_expiries_total", "casemesh_step_retries_total", "casemesh_needs_unserved"]) {
      assert.match(body, new RegExp(`^# TYPE ${name} `, "m"), `${name} is served`);
    }
    assertPromtoolClean(body);
  });
});
