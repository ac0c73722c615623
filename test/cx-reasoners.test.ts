import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "prom-client";
import { assembleContext, loadContextHierarchy } from "../peers/cx/context/index.ts";
import { claude, fakeModel } from "./harness/fake-anthropic.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";

// The rest of the reasoners' tests need no promtool and run in the fast tier: test/unit/cx-reasoners.test.ts.

const hierarchy = loadContextHierarchy();
const intentContext = assembleContext(hierarchy, { capability: "intent", productLine: "broadband" });
const summaryContext = assembleContext(hierarchy, { capability: "human.summary", productLine: "broadband" });

const NO_ENTITIES = { amounts: [], dates: [], orderIds: [] };


test("claude: token counts and request durations are metrics that pass promtool", async (t) => {
  const fake = await fakeModel(t);
  const metrics = new Registry();
  const usage = { input_tokens: 1200, output_tokens: 40, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 };
  fake.answer({ tool: "record_intent", input: { intent: "other", confidence: 0.4, entities: NO_ENTITIES }, usage });
  fake.answer({ tool: "record_intent", input: { intent: "other", confidence: 0.4, entities: NO_ENTITIES }, usage });
  const reasoner = claude(fake, metrics);
  await reasoner.classifyIntent({ text: "hello", context: intentContext });
  await reasoner.classifyIntent({ text: "a different message", context: intentContext });
  // The cached prefix is byte-identical across calls; only the message differs.
  assert.equal(JSON.stringify(fake.requests[0]!.body["system"]), JSON.stringify(fake.requests[1]!.body["system"]));
  assert.equal(JSON.stringify(fake.requests[0]!.body["tools"]), JSON.stringify(fake.requests[1]!.body["tools"]));
  fake.answer({ tool: "write_summary", input: { summary: "Customer disputes a double charge; ledger was down." }, usage: { input_tokens: 10, output_tokens: 5 } });
  const { summary } = await reasoner.summarizeForHuman({ caseFacts: ["customer SSN 123-45-6789 disputes a charge"], context: summaryContext });
  assert.equal(summary, "Customer disputes a double charge; ledger was down.");
  assert.doesNotMatch(fake.requests[2]!.raw, /123-45-6789/);
  assert.match(fake.requests[2]!.raw, /\[national id\]/);

  const body = await metrics.metrics();
  const tokens = (operation: string, kind: string) => sample(body, "casemesh_model_tokens_total", { operation, kind });
  assert.equal(tokens("classify_intent", "input"), 2400);
  assert.equal(tokens("classify_intent", "output"), 80);
  assert.equal(tokens("classify_intent", "cache_read"), 2000);
  assert.equal(tokens("classify_intent", "cache_write"), 400);
  assert.equal(tokens("summarize_for_human", "input"), 10);
  assert.equal(sample(body, "casemesh_model_request_duration_seconds_count", { operation: "classify_intent", outcome: "ok" }), 2);
  assertPromtoolClean(body);
});
