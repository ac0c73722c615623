import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { BlackboardClient, FactWriter } from "../blackboard/index.ts";
import { createRegistry, serveMetrics } from "../observability/metrics-server.ts";
import { caseOpened, message, TEST_SOURCE } from "./harness/facts.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";

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
    await nc.jetstream().publish("casemesh.fact.m-1.message.received", "garbage");
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
    const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    assert.equal(check.error, undefined, "promtool must be installed (.ci/run installs Debian's prometheus package)");
    assert.equal(check.status, 0, `promtool found problems:\n${check.stdout}${check.stderr}`);
  });
});
