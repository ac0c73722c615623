import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { Registry } from "prom-client";
import { ConfigError, UnavailableError } from "../../core/errors.ts";
import { assembleContext, DEFAULT_CONTEXT_DIR, loadContextHierarchy } from "../../peers/cx/context/index.ts";
import {
  MalformedModelAnswerError,
  reasonerFromEnv,
  RulesReasoner,
  type IntentClassification,
} from "../../peers/cx/reasoners/index.ts";
import { claude, fakeModel } from "../harness/fake-anthropic.ts";
import { sample } from "../harness/metrics.ts";

const hierarchy = loadContextHierarchy();
const intentContext = assembleContext(hierarchy, { capability: "intent", productLine: "broadband" });
const replyContext = assembleContext(hierarchy, { capability: "reply", productLine: "mobile" });
const summaryContext = assembleContext(hierarchy, { capability: "human.summary", productLine: "broadband" });

const NO_ENTITIES = { amounts: [], dates: [], orderIds: [] };

/** A temporary copy of the reference context folder, removed after the test. */
function contextCopy(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "casemesh-context-"));
  cpSync(DEFAULT_CONTEXT_DIR, dir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}


/** The text of every system block and message of a recorded request. */
function systemText(body: Record<string, unknown>): string {
  return (body["system"] as Array<{ text: string }>).map((b) => b.text).join("\n");
}

test("context: files load and assemble organisation, then product line, then protocol, byte-identically", () => {
  assert.deepEqual([...hierarchy.products.keys()], ["broadband", "mobile"]);
  for (const capability of ["intent", "identity", "billing.dispute", "reply", "human.summary"]) {
    assert.ok(hierarchy.protocols.has(capability), `protocol ${capability} is missing`);
  }
  const a = assembleContext(hierarchy, { capability: "billing.dispute", productLine: "broadband" });
  const org = a.prefix.indexOf("# Organisation: Northwind Connect");
  const product = a.prefix.indexOf("# Product line: Home broadband");
  const protocol = a.prefix.indexOf("# Protocol: billing.dispute");
  assert.ok(org === 0 && product > org && protocol > product, `sections out of order: ${org}, ${product}, ${protocol}`);
  assert.match(a.prefix, /Never ask the customer for something the case already holds/);
  assert.match(a.prefix, /Fibre 100 \[fibre-100\] 35\.00 EUR per month/);
  assert.equal(a.product?.billingCycle.closesOnDay, 1);
  assert.equal(a.protocol.steps.length, 4);
  assert.equal(a.organisation.channels.chat.maxChars, 160);

  // Same input, same bytes: from the same hierarchy and from a fresh load.
  const again = assembleContext(loadContextHierarchy(), { capability: "billing.dispute", productLine: "broadband" });
  assert.equal(again.prefix, a.prefix);
  assert.equal(again.digest, a.digest);

  // No product line: no product section; another protocol: a different prefix.
  const bare = assembleContext(hierarchy, { capability: "billing.dispute" });
  assert.equal(bare.product, null);
  assert.doesNotMatch(bare.prefix, /# Product line/);
  assert.notEqual(assembleContext(hierarchy, { capability: "reply" }).digest, bare.digest);
});

test("context: a broken file is a ConfigError naming the file and the field", (t) => {
  const dir = contextCopy(t);
  editJson(join(dir, "products", "mobile.json"), (json) => {
    (json["plans"] as Array<Record<string, unknown>>)[0]!["monthlyMinor"] = "15 euros";
  });
  assert.throws(() => loadContextHierarchy(dir), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /products\/mobile\.json: plans\.0\.monthlyMinor: /);
    return true;
  });

  const dir2 = contextCopy(t);
  editJson(join(dir2, "organisation.json"), (json) => {
    json["polices"] = json["policies"];
    delete json["policies"];
  });
  assert.throws(() => loadContextHierarchy(dir2), (err: unknown) => err instanceof ConfigError && /organisation\.json: policies: /.test(err.message));

  const dir3 = contextCopy(t);
  writeFileSync(join(dir3, "protocols", "reply.json"), "{ not json");
  assert.throws(() => loadContextHierarchy(dir3), (err: unknown) => err instanceof ConfigError && /protocols\/reply\.json: is not valid JSON/.test(err.message));

  const dir4 = contextCopy(t);
  editJson(join(dir4, "protocols", "identity.json"), (json) => void (json["capability"] = "identity.check"));
  assert.throws(() => loadContextHierarchy(dir4), (err: unknown) => err instanceof ConfigError && /identity\.json: capability: .*named for identity/.test(err.message));

  assert.throws(() => assembleContext(hierarchy, { capability: "teleport" }), (err: unknown) => err instanceof ConfigError && /no protocol for capability teleport/.test(err.message));
  assert.throws(() => assembleContext(hierarchy, { capability: "intent", productLine: "tv" }), (err: unknown) => err instanceof ConfigError && /no product line tv/.test(err.message));
});

test("rules: the sample messages are classified with their entities", async () => {
  const rules = new RulesReasoner();
  const cases: Array<[string, IntentClassification["intent"], Partial<IntentClassification["entities"]>]> = [
    ["I was charged twice for my October bill", "billing_dispute", { dates: ["October"] }],
    ["You charged me $12.50 and €40 extra on 2026-10-03", "billing_dispute", { amounts: [{ amountMinor: 1250, currency: "USD" }, { amountMinor: 4000, currency: "EUR" }], dates: ["2026-10-03"] }],
    ["Where is my order #A1234? It hasn't arrived", "order_status", { orderIds: ["A1234"] }],
    ["My internet keeps dropping since Monday", "technical_problem", { dates: ["Monday"] }],
    ["Please cancel my mobile contract from 3 March 2026", "cancellation", { dates: ["3 March 2026"] }],
    ["What are your opening hours?", "other", {}],
    ["May I pay the bill for May later?", "other", { dates: ["May"] }],
  ];
  for (const [text, intent, entities] of cases) {
    const got = await rules.classifyIntent({ text, context: intentContext });
    assert.equal(got.intent, intent, text);
    assert.deepEqual(got.entities, { ...NO_ENTITIES, ...entities }, text);
    assert.ok(got.confidence > 0 && got.confidence <= 1);
    if (intent !== "other") assert.ok(got.confidence >= 0.6, `${text}: confidence ${got.confidence}`);
  }
  // Deterministic: the same message, the same answer.
  const text = "I was charged twice for my October bill";
  assert.deepEqual(await rules.classifyIntent({ text, context: intentContext }), await rules.classifyIntent({ text, context: intentContext }));
});

test("rules: replies are shaped for their channel and never echo a card number", async () => {
  const rules = new RulesReasoner();
  const facts = [
    "We refunded the duplicate charge of $12.50 to your card 4111 1111 1111 1111.",
    "You will see it within 5 working days; details at https://northwind.example/bill.",
    "Your reference is #A1234",
  ];
  const chat = await rules.draftReply({ channel: "chat", facts, customerName: "Ana", context: replyContext });
  assert.ok(chat.text.length <= 160, `chat reply has ${chat.text.length} characters`);
  assert.match(chat.text, /refunded the duplicate charge of \$12\.50/);
  const shortChat = await rules.draftReply({ channel: "chat", facts: ["Your credit of €5 is on its way."], customerName: "Ana", context: replyContext });
  assert.equal(shortChat.text, "Hi Ana, Your credit of €5 is on its way.");

  const voice = await rules.draftReply({ channel: "voice", facts, customerName: "Ana", context: replyContext });
  assert.doesNotMatch(voice.text, /https?:|www\.|northwind\.example/);
  assert.doesNotMatch(voice.text, /\d/);
  assert.doesNotMatch(voice.text, /[$€£%#@&/]/);
  assert.match(voice.text, /twelve dollars and fifty cents/);
  assert.match(voice.text, /A one two three four/);
  assert.match(voice.text, /Is there anything else I can help with today\?$/);

  const email = await rules.draftReply({ channel: "email", facts, customerName: "Ana", context: replyContext });
  assert.match(email.text, /^Hello Ana,\n\n/);
  assert.match(email.text, /Kind regards,\nThe Northwind Connect care team$/);
  for (const fact of ["duplicate charge of $12.50", "within 5 working days", "Your reference is #A1234."]) assert.ok(email.text.includes(fact), fact);

  for (const reply of [chat, voice, email]) assert.doesNotMatch(reply.text, /4111[ -]?1111/);
  assert.match(email.text, /\[card \*\*\*\*1111\]/);
});

test("rules: a human summary quotes the facts in order, redacted", async () => {
  const rules = new RulesReasoner();
  const { summary } = await rules.summarizeForHuman({
    caseFacts: ["message.received chat: charged twice, card 4111 1111 1111 1111, SSN 123-45-6789", "intent.classified billing_dispute", "need.failed billing.dispute: ledger unavailable"],
    context: summaryContext,
  });
  assert.match(summary, /^Case handed to a human \(human\.summary\): 3 facts/);
  assert.ok(summary.indexOf("message.received") < summary.indexOf("need.failed"));
  assert.doesNotMatch(summary, /4111 1111|123-45-6789/);
  assert.match(summary, /\[card \*\*\*\*1111\].*\[national id\]/);
});

test("claude: the intent comes from the tool answer; the prompt carries the cached context and no card number", async (t) => {
  const fake = await fakeModel(t);
  fake.answer({ tool: "record_intent", input: { intent: "cancellation", confidence: 0.72, entities: { ...NO_ENTITIES, dates: ["October"] } } });
  const got = await claude(fake).classifyIntent({ text: "I was charged twice for my October bill, my card 4111 1111 1111 1111", context: intentContext });
  assert.deepEqual(got, { intent: "cancellation", confidence: 0.72, entities: { ...NO_ENTITIES, dates: ["October"] } });

  assert.equal(fake.requests.length, 1);
  const req = fake.requests[0]!;
  assert.equal(req.path, "/v1/messages");
  const system = req.body["system"] as Array<{ text: string; cache_control?: unknown }>;
  assert.deepEqual(system[0]?.cache_control, { type: "ephemeral" });
  assert.ok(system[0]?.text.endsWith(intentContext.prefix), "the cached block ends with the assembled context");
  const text = systemText(req.body);
  const order = ["# Organisation: Northwind Connect", "# Product line: Home broadband", "# Protocol: intent"].map((s) => text.indexOf(s));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > (order[k - 1] ?? -1))), `context order: ${order.join(", ")}`);
  assert.deepEqual(req.body["tool_choice"], { type: "tool", name: "record_intent" });
  const tools = req.body["tools"] as Array<{ name: string; input_schema: { properties: Record<string, { enum?: string[] }> } }>;
  assert.equal(tools.length, 1);
  assert.deepEqual(tools[0]?.input_schema.properties["intent"]?.enum, ["billing_dispute", "order_status", "technical_problem", "cancellation", "other"]);

  assert.doesNotMatch(req.raw, /4111[ -]?1111[ -]?1111[ -]?1111/);
  assert.match(req.raw, /\[card \*\*\*\*1111\]/);
  assert.match(req.raw, /charged twice for my October bill/);
});

test("claude: an overloaded (529) answer is retried and then succeeds", async (t) => {
  const fake = await fakeModel(t);
  fake.failNext(1, 529);
  fake.answer({ tool: "record_intent", input: { intent: "order_status", confidence: 0.9, entities: { ...NO_ENTITIES, orderIds: ["A1234"] } } });
  const got = await claude(fake).classifyIntent({ text: "where is #A1234", context: intentContext });
  assert.equal(got.intent, "order_status");
  assert.deepEqual(fake.requests.map((r) => r.status), [529, 200]);
});

test("claude: a server that keeps failing ends in UnavailableError; an aborted step stops the call", async (t) => {
  const fake = await fakeModel(t);
  const metrics = new Registry();
  fake.failNext(3, 500);
  await assert.rejects(claude(fake, metrics).classifyIntent({ text: "hello", context: intentContext }), (err: unknown) => {
    assert.ok(err instanceof UnavailableError, String(err));
    assert.equal(err.retryable, true);
    assert.match(err.message, /classify_intent \(HTTP 500\)/);
    return true;
  });
  assert.deepEqual(fake.requests.map((r) => r.status), [500, 500, 500]);
  const body = await metrics.metrics();
  assert.equal(sample(body, "casemesh_model_request_duration_seconds_count", { operation: "classify_intent", outcome: "error" }), 1);

  const controller = new AbortController();
  const reason = new Error("lease lost");
  controller.abort(reason);
  await assert.rejects(claude(fake).classifyIntent({ text: "hello", context: intentContext }, { signal: controller.signal }), (err: unknown) => err === reason);
  assert.equal(fake.requests.length, 3, "an aborted call sends nothing");
});

test("claude: a malformed tool answer is sent back, retried, then fails clearly", async (t) => {
  const fake = await fakeModel(t);
  const metrics = new Registry();
  const bad = { tool: "record_intent", input: { intent: "refund_please", confidence: 0.9, entities: NO_ENTITIES } };
  fake.answer(bad, bad);
  await assert.rejects(claude(fake, metrics).classifyIntent({ text: "refund me", context: intentContext }), (err: unknown) => {
    assert.ok(err instanceof MalformedModelAnswerError, String(err));
    assert.equal(err.code, "CONTRACT_VIOLATION");
    assert.equal(err.attempts, 2);
    assert.match(err.message, /model answer to classify_intent \(after 2 attempts\) is invalid at intent: /);
    return true;
  });
  assert.equal(fake.requests.length, 2);
  const retry = fake.requests[1]!.body["messages"] as Array<{ role: string; content: unknown }>;
  assert.equal(retry.length, 3);
  const result = (retry[2]?.content as Array<Record<string, unknown>>)[0];
  assert.equal(result?.["type"], "tool_result");
  assert.equal(result?.["is_error"], true);
  assert.match(String(result?.["content"]), /intent: /);
  const body = await metrics.metrics();
  assert.equal(sample(body, "casemesh_model_request_duration_seconds_count", { operation: "classify_intent", outcome: "malformed" }), 2);

  // One malformed answer followed by a good one succeeds.
  fake.answer(bad, { tool: "record_intent", input: { intent: "billing_dispute", confidence: 0.8, entities: NO_ENTITIES } });
  assert.equal((await claude(fake).classifyIntent({ text: "refund me", context: intentContext })).intent, "billing_dispute");
});

test("claude: replies are checked against the channel's shape", async (t) => {
  const fake = await fakeModel(t);
  const long = "x".repeat(200);
  fake.answer({ tool: "write_reply", input: { text: long } }, { tool: "write_reply", input: { text: "Refunded $12.50, see it in 5 days." } });
  const chat = await claude(fake).draftReply({ channel: "chat", facts: ["We refunded $12.50 to card 4111 1111 1111 1111."], customerName: "Ana", context: replyContext });
  assert.equal(chat.text, "Refunded $12.50, see it in 5 days.");
  const retry = fake.requests[1]!.body["messages"] as Array<{ content: Array<Record<string, unknown>> }>;
  assert.match(String(retry[2]?.content[0]?.["content"]), /at most 160 characters/);
  assert.match(systemText(fake.requests[0]!.body), /# Product line: Mobile \(mobile\)[\s\S]*# Protocol: reply/);
  assert.doesNotMatch(fake.requests[0]!.raw, /4111 1111/);

  // A voice answer with digits and symbols is made speakable; an email without sign-off is refused.
  fake.answer({ tool: "write_reply", input: { text: "We refunded $12.50 on the 3rd." } });
  const voice = await claude(fake).draftReply({ channel: "voice", facts: ["We refunded $12.50."], context: replyContext });
  assert.equal(voice.text, "We refunded twelve dollars and fifty cents on the third.");
  fake.answer({ tool: "write_reply", input: { text: "Hello Ana, refunded." } }, { tool: "write_reply", input: { text: "Refunded." } });
  await assert.rejects(claude(fake).draftReply({ channel: "email", facts: ["Refunded."], customerName: "Ana", context: replyContext }), MalformedModelAnswerError);
});

test("reasonerFromEnv: rules without ANTHROPIC_API_KEY, Claude at ANTHROPIC_BASE_URL with it", async (t) => {
  const metrics = new Registry();
  assert.equal(reasonerFromEnv({}, { metrics }).kind, "rules");
  assert.equal(reasonerFromEnv({ ANTHROPIC_API_KEY: "", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, { metrics }).kind, "rules");
  assert.throws(() => reasonerFromEnv({ ANTHROPIC_API_KEY: "k", CASEMESH_MODEL_TIMEOUT_MS: "soon" }, { metrics }), (err: unknown) => err instanceof ConfigError && /CASEMESH_MODEL_TIMEOUT_MS/.test(err.message));

  const fake = await fakeModel(t);
  fake.answer({ tool: "record_intent", input: { intent: "technical_problem", confidence: 0.66, entities: NO_ENTITIES } });
  const reasoner = reasonerFromEnv({ ANTHROPIC_API_KEY: "k-env", ANTHROPIC_BASE_URL: fake.url, CASEMESH_MODEL: "claude-test-1" }, { metrics });
  assert.equal(reasoner.kind, "claude");
  assert.equal((await reasoner.classifyIntent({ text: "hi", context: intentContext })).intent, "technical_problem");
  assert.equal(fake.requests[0]?.body["model"], "claude-test-1");
});
