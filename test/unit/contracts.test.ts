import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { checkFact, factRegistry } from "../../blackboard/index.ts";
import "../../peers/cx/facts.ts";
import { CONTRACTS_DIR, renderContractFiles } from "../../blackboard/export-contracts.ts";
import { TEST_SOURCE } from "../harness/facts.ts";

const REQUIRED_KINDS = [
  "case.opened", "message.received", "customer.linked", "need.opened", "need.claimed", "need.done", "need.failed",
  "intent.classified", "identity.verified", "account.loaded", "credit.applied", "escalation.requested",
  "reply.drafted", "reply.delivered", "timer.set", "timer.fired", "case.resolved",
];

describe("fact contracts", () => {
  test("the registry has every kind of the customer journey", () => {
    for (const kind of REQUIRED_KINDS) assert.ok(factRegistry.has(kind), `missing ${kind}`);
  });

  test("the committed JSON Schemas in proto/facts match the contracts (run npm run contracts:export)", async () => {
    const expected = renderContractFiles();
    const onDisk = (await readdir(CONTRACTS_DIR)).filter((f) => f.endsWith(".schema.json")).sort();
    assert.deepEqual(onDisk, [...expected.keys()].sort());
    for (const [name, body] of expected) {
      assert.equal(await readFile(join(CONTRACTS_DIR, name), "utf8"), body, `${name} is stale`);
    }
    const schema = JSON.parse(expected.get("credit.applied.v1.schema.json") ?? "{}") as Record<string, unknown>;
    assert.equal(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert.equal(schema["additionalProperties"], false);
  });

  test("checkFact accepts a fact built by the writer and rejects an old contract version", () => {
    const fact = {
      id: "01JCDE8Z7X0000000000000000",
      caseId: "c1",
      kind: "case.resolved",
      v: 1,
      at: "2026-11-21T10:00:00.000Z",
      source: TEST_SOURCE,
      causedBy: null,
      needId: null,
      traceparent: null,
      data: { resolution: "refunded", by: "agent-7" },
    };
    assert.equal(checkFact(fact).kind, "case.resolved");
    assert.throws(() => checkFact({ ...fact, v: 7 }), /at v: unsupported contract version 7/);
  });
});
