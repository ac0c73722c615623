import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { Registry } from "prom-client";
import { SealedStore, hashAnswer, type BlackboardClient, type Channel, type StoredFact } from "../blackboard/index.ts";
import { FactWriter } from "../blackboard/writer.ts";
import { createRegistry } from "../observability/metrics-server.ts";
import { accountPeer } from "../peers/cx/account.ts";
import { DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR, billingPeer } from "../peers/cx/billing.ts";
import { FOLLOWUP_DELAY_MS, FOLLOWUP_PURPOSE, composerPeer } from "../peers/cx/composer.ts";
import { followupPeer } from "../peers/cx/followup.ts";
import { cxIdentityPeer } from "./harness/cx.ts";
import { intentPeer } from "../peers/cx/intent.ts";
import { Ledger } from "../peers/cx/ledger.ts";
import type { ReasonerSource } from "../peers/cx/reasoner-source.ts";
import { REASKS_METRIC } from "../peers/cx/reasks.ts";
import { RulesReasoner, reasonerFromEnv, toSpeakable } from "../peers/cx/reasoners/index.ts";
import { startFakeAnthropic } from "./harness/fake-anthropic.ts";
import { TEST_SOURCE } from "./harness/facts.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";
import { startHost, startMesh } from "./harness/mesh.ts";
import { peerEnv, spawnTs } from "./harness/processes.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

type Data = Record<string, unknown>;
const dataOf = (facts: StoredFact[], kind: string): Data[] => facts.filter((f) => f.fact.kind === kind).map((f) => f.fact.data as Data);
const openedFor = (facts: StoredFact[], capability: string): Data[] => dataOf(facts, "need.opened").filter((d) => d["capability"] === capability);
const seqOf = (facts: StoredFact[], kind: string): number => facts.find((f) => f.fact.kind === kind)?.seq ?? Number.NaN;
const asks = (facts: StoredFact[]): Data[] => openedFor(facts, "reply").filter((d) => (d["input"] as Data)["about"] === "identity.ask");
const count = (facts: StoredFact[], kind: string): number => dataOf(facts, kind).length;

/** `casemesh_reasks_total{capability="identity.verify"}` in `registry`; undefined when the series is missing. */
async function reasks(registry: Registry): Promise<number | undefined> {
  return sample(await registry.metrics(), REASKS_METRIC, { capability: "identity.verify" });
}

interface Says {
  channel: Channel;
  address: string;
  text: string;
  /** The message's number on the case: 1, 2, ... */
  n: number;
  /** For a first message: open the case and link the address, as the gateway does for a new address. */
  opens?: { customerId: string; verified: boolean };
  /** False for a message whose steps ran before the test: no intent need is opened for it. */
  intent?: boolean;
}

/**
 * Writes what the gateway writes for one customer message (gateway/intake.ts):
 * case.opened and customer.linked for a new customer, message.received, and
 * the `intent` need for the message. Returns the intent need's id.
 */
async function customerSays(writer: FactWriter, caseId: string, m: Says): Promise<string> {
  if (m.opens !== undefined) {
    const { customerId, verified } = m.opens;
    await writer.append({ caseId, kind: "case.opened", data: { customerId, channel: m.channel, tier: "standard" } }, { msgId: `${caseId}.opened` });
    await writer.append({ caseId, kind: "customer.linked", data: { customerId, channel: m.channel, address: m.address, verified } });
  }
  const clientMessageId = `${caseId}-m${m.n}`;
  const message = await writer.append({
    caseId,
    kind: "message.received",
    data: { channel: m.channel, address: m.address, text: m.text, clientMessageId, attachments: [] },
  });
  const needId = `${caseId}.in.m${m.n}`;
  if (m.intent === false) return needId;
  await writer.append({
    caseId,
    kind: "need.opened",
    causedBy: message.fact.id,
    needId,
    data: {
      needId,
      capability: "intent",
      input: { messageFactId: message.fact.id, channel: m.channel },
      requires: [],
      attempt: 1,
      fallback: "human.triage",
    },
  });
  return needId;
}

const ADA = "cu-acct-acc-1001";

/**
 * Writes an earlier, resolved case on which the customer of `accountId`
 * proved ownership of the account (a one-time code) from `addresses`: what a
 * returning customer's memory holds, so identity carries over from an address
 * they proved, without asking.
 */
async function provedBefore(writer: FactWriter, accountId: string, addresses: { channel: Channel; address: string }[]): Promise<void> {
  const customerId = `cu-acct-${accountId}`;
  const caseId = `${customerId}-earlier`;
  await writer.append({ caseId, kind: "case.opened", data: { customerId, channel: addresses[0]?.channel ?? "chat", tier: "standard" } }, { msgId: `${caseId}.opened` });
  await writer.append({ caseId, kind: "identity.verified", data: { customerId, method: "otp", accountId } });
  for (const a of addresses) await writer.append({ caseId, kind: "customer.linked", data: { customerId, ...a, verified: true } });
  await writer.append({ caseId, kind: "case.resolved", data: { resolution: "verified and answered", by: "test" } });
}

/**
 * What a customer who holds the code does, as the gateway writes it: reads
 * the code sealed for the case's open challenge (as the e-mail sender would)
 * and answers with it, the answer sealed and the message written with dots.
 */
async function answersCode(writer: FactWriter, client: BlackboardClient, sealed: SealedStore, caseId: string, m: Omit<Says, "text">, code: (secret: string) => string = (c) => c): Promise<void> {
  const facts = (await client.getCase({ caseId, minSeq: writer.lastSeq })).facts;
  const challenge = dataOf(facts, "identity.challenged").at(-1);
  const challengeId = String(challenge?.["challengeId"]);
  const out = await sealed.outbound(challengeId);
  assert.ok(out !== undefined, "the code is in the sealed store for the e-mail sender");
  const given = code(out.secret);
  const message = writer.build({ caseId, kind: "message.received", data: { channel: m.channel, address: m.address, text: `the code is ${"\u2022".repeat(given.length)}`, clientMessageId: `${caseId}-m${m.n}`, attachments: [] } });
  await sealed.sealAnswer(message.id, { challengeId, hashes: [hashAnswer(challengeId, given)] });
  const stored = await writer.appendFact(message);
  const needId = `${caseId}.in.m${m.n}`;
  await writer.append({
    caseId,
    kind: "need.opened",
    causedBy: stored.fact.id,
    needId,
    data: { needId, capability: "intent", input: { messageFactId: stored.fact.id, channel: m.channel }, requires: [], attempt: 1, fallback: "human.triage" },
  });
}

/** Every peer of the flow on one host in this process: the three under test with `reasoner`, and account, billing and follow-up. */
async function startCxPeers(nc: Parameters<typeof startHost>[0], tag: string, reasoner: ReasonerSource): Promise<Registry> {
  const registry = createRegistry();
  const ledger = await Ledger.open(nc);
  await startHost(
    nc,
    [
      intentPeer({ id: `intent-${tag}`, reasoner }),
      await cxIdentityPeer(nc, `identity-${tag}`),
      composerPeer({ id: `composer-${tag}`, reasoner }),
      accountPeer({ id: `account-${tag}` }),
      billingPeer({ id: `billing-${tag}`, ledger, config: { humanThresholdMinor: DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR } }),
      followupPeer({ id: `followup-${tag}` }),
    ],
    { registry },
  );
  return registry;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const VOICE_CLOSING = "Is there anything else I can help with today?";

describe("cx intent, identity and composer peers (rules)", async () => {
  const { nc, client, writer } = await startMesh({ name: "cx-peers" });
  const registry = await startCxPeers(nc, "r", new RulesReasoner());
  const sealed = await SealedStore.open(nc);
  await provedBefore(writer, "acc-1001", [{ channel: "chat", address: "chat-ada" }, { channel: "email", address: "ada@example.com" }]);

  test("a double charge on chat, from the chat id Ada proved before, flows intent → identity → account → billing → composer, with a follow-up timer and no re-ask", async (t) => {
    const started = Date.now();
    await customerSays(writer, "cx-ada", {
      channel: "chat",
      address: "chat-ada",
      text: "I was charged twice for my October bill",
      n: 1,
      opens: { customerId: ADA, verified: true },
    });
    const facts = await caseFactsWhen(client, "cx-ada", (fs) => count(fs, "timer.set") === 1);
    t.diagnostic(`message to follow-up timer in ${Date.now() - started} ms`);

    const intent = dataOf(facts, "intent.classified");
    assert.equal(intent.length, 1);
    assert.equal(intent[0]?.["intent"], "billing_dispute");
    assert.deepEqual((intent[0]?.["entities"] as Data)["dates"], ["October"]);
    assert.deepEqual(dataOf(facts, "identity.verified"), [{ customerId: ADA, method: "channel_address", accountId: "acc-1001" }]);
    assert.match(String(dataOf(facts, "identity.attempted")[0]?.["reason"]), /chat address the customer proved on case cu-acct-acc-1001-earlier/);
    assert.equal(dataOf(facts, "account.loaded")[0]?.["accountId"], "acc-1001");
    const credits = dataOf(facts, "credit.applied");
    assert.equal(credits.length, 1);
    assert.deepEqual(credits[0]?.["amount"], { amountMinor: 4999, currency: "EUR" });
    const ledgerRef = String(credits[0]?.["ledgerRef"]);

    // The handoffs happened in order, each after the fact it waited for.
    const order = ["intent.classified", "identity.verified", "account.loaded", "credit.applied", "reply.drafted", "timer.set"].map((k) => seqOf(facts, k));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `facts out of order: ${order.join(", ")}`);
    assert.deepEqual(openedFor(facts, "account.load")[0]?.["requires"], ["identity.verified"]);
    assert.deepEqual(openedFor(facts, "billing.dispute")[0]?.["requires"], ["account.loaded"]);
    assert.equal(openedFor(facts, "billing.dispute")[0]?.["fallback"], "human.billing");

    const replies = dataOf(facts, "reply.drafted");
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.["channel"], "chat");
    const text = String(replies[0]?.["text"]);
    assert.match(text, /^Hi Ada, /);
    assert.match(text, /€49\.99/);
    assert.ok(text.includes(ledgerRef), "the reply names the ledger reference");
    assert.ok(text.length <= 160, `a chat reply has ${text.length} characters`);
    assert.equal(replies[0]?.["replyTo"], facts.find((f) => f.fact.kind === "message.received")?.fact.id);

    const timers = dataOf(facts, "timer.set");
    assert.equal(timers[0]?.["purpose"], FOLLOWUP_PURPOSE);
    assert.deepEqual(timers[0]?.["cancelIf"], ["case.resolved"]);
    const action = timers[0]?.["action"] as { capability: string; input: Data };
    assert.equal(action.capability, "reply");
    assert.equal(action.input["about"], "followup");
    assert.equal(action.input["channel"], "email");
    assert.match(String(action.input["tell"]), /€49\.99/);
    const dueIn = Date.parse(String(timers[0]?.["dueAt"])) - Date.parse(facts.find((f) => f.fact.kind === "timer.set")?.fact.at ?? "");
    assert.ok(Math.abs(dueIn - FOLLOWUP_DELAY_MS) < 60_000, `the follow-up is due ${dueIn} ms after it was set`);

    assert.equal(asks(facts).length, 0, "a customer writing from a chat id they proved is not asked who they are");
    assert.equal(count(facts, "identity.challenged"), 0, "nor sent a code");
    assert.equal(await reasks(registry), 0);
  });

  test("the next message on voice, same case: no identity step, nothing re-loaded or re-credited, a speakable status reply", async () => {
    // The gateway writing the next day: its facts carry a time a day later.
    const tomorrow = await FactWriter.create({ nc, source: { ...TEST_SOURCE, capability: "gateway" }, dedupWindowMs: 120_000, clock: { timeline: "mesh", now: () => Date.now() + DAY_MS } });
    const needId = await customerSays(tomorrow, "cx-ada", { channel: "voice", address: "+44 20 7946 0001", text: "Hello, it's Ada again. Has the refund for October come through?", n: 2 });
    const facts = await caseFactsWhen(client, "cx-ada", (fs) => needFacts(fs, "need.done", needId).length === 1 && count(fs, "reply.drafted") === 2);
    const [first, second] = facts.filter((f) => f.fact.kind === "message.received").map((f) => Date.parse(f.fact.at));
    assert.ok((second ?? 0) - (first ?? 0) >= DAY_MS - 60_000, "the second message came a day after the first");

    assert.equal(dataOf(facts, "intent.classified").at(-1)?.["intent"], "billing_dispute");
    for (const capability of ["identity.verify", "account.load", "billing.dispute", "followup.schedule"]) {
      assert.equal(openedFor(facts, capability).length, 1, `${capability} was opened once, for the first message`);
    }
    assert.equal(count(facts, "identity.verified"), 1);
    assert.equal(count(facts, "credit.applied"), 1);
    assert.equal(count(facts, "timer.set"), 1, "a status reply schedules no second follow-up");

    const reply = dataOf(facts, "reply.drafted").at(-1) ?? {};
    assert.equal(reply["channel"], "voice", "the reply goes to the channel the customer is on now");
    const text = String(reply["text"]);
    assert.match(text, /^Hello Ada\./);
    assert.match(text, /forty-nine euros and ninety-nine cents/);
    const ledgerRef = String(dataOf(facts, "credit.applied")[0]?.["ledgerRef"]);
    assert.ok(text.includes(`your reference is the one ending in ${toSpeakable([...ledgerRef.slice(-4)].join(" "))}.`), `the reference is read as its last four characters: ${text}`);
    assert.doesNotMatch(text, /\d/, "a voice reply has no digits");
    assert.doesNotMatch(text, /[#@*_~`|<>[\]{}\\^=$€£%/&+]/, "a voice reply has no symbols");
    assert.ok(text.endsWith(VOICE_CLOSING));
    assert.equal(await reasks(registry), 0);
  });

  test("a customer nobody knows is asked for the account number once; giving it continues the waiting dispute", async () => {
    await customerSays(writer, "cx-stranger", {
      channel: "chat",
      address: "chat-new-visitor",
      text: "I was charged twice for my October bill",
      n: 1,
      opens: { customerId: "cust-stranger", verified: false },
    });
    let facts = await caseFactsWhen(client, "cx-stranger", (fs) => count(fs, "reply.drafted") === 1);
    assert.equal(asks(facts).length, 1);
    assert.equal((asks(facts)[0]?.["input"] as Data)["ask"], "account_number");
    assert.match(String(dataOf(facts, "reply.drafted")[0]?.["text"]), /^Hi, .*account number/);
    assert.equal(count(facts, "identity.verified"), 0);
    const accountNeed = String(openedFor(facts, "account.load")[0]?.["needId"]);
    assert.equal(needFacts(facts, "need.done", accountNeed).length + needFacts(facts, "need.failed", accountNeed).length, 0, "account.load waits for identity");
    assert.equal(await reasks(registry), 0, "asking for something never given is not a re-ask");

    await customerSays(writer, "cx-stranger", { channel: "chat", address: "chat-new-visitor", text: "Sorry, it's acc-4004", n: 2 });
    facts = await caseFactsWhen(client, "cx-stranger", (fs) => count(fs, "reply.drafted") === 3);
    assert.equal(count(facts, "identity.verified"), 0, "an account number is a claim");
    assert.equal(dataOf(facts, "identity.challenged")[0]?.["accountId"], "acc-4004");
    assert.match(String(dataOf(facts, "reply.drafted").at(-1)?.["text"]), /^Hi, To protect the account I sent a 6-digit code/);

    // Whoever holds the code sent to the account's registered e-mail is the owner.
    await answersCode(writer, client, sealed, "cx-stranger", { channel: "chat", address: "chat-new-visitor", n: 3 });
    facts = await caseFactsWhen(client, "cx-stranger", (fs) => count(fs, "timer.set") === 1);
    const latest = dataOf(facts, "intent.classified").at(-1) ?? {};
    assert.equal(latest["intent"], "billing_dispute", "the answer continues the dispute");
    assert.deepEqual((latest["entities"] as Data)["dates"], ["October"], "and keeps what the first message said");
    assert.deepEqual(dataOf(facts, "identity.verified"), [{ customerId: "cu-acct-acc-4004", method: "otp", accountId: "acc-4004" }]);
    assert.deepEqual(
      dataOf(facts, "customer.linked").filter((l) => l["address"] === "chat-new-visitor").at(-1),
      { customerId: "cu-acct-acc-4004", channel: "chat", address: "chat-new-visitor", verified: true },
      "the visitor's address joins the account's customer",
    );
    assert.equal((await client.getCase({ caseId: "cx-stranger" })).case.customerId, "cu-acct-acc-4004", "and the case moves with them");
    assert.equal(openedFor(facts, "account.load").length, 1, "the waiting account.load is not opened again");
    assert.equal(openedFor(facts, "billing.dispute").length, 1);
    assert.equal(needFacts(facts, "need.done", accountNeed).length, 1);
    assert.deepEqual(dataOf(facts, "credit.applied")[0]?.["amount"], { amountMinor: 1999, currency: "EUR" });
    assert.equal(asks(facts).length, 1, "asked once, never again");
    const replies = dataOf(facts, "reply.drafted").filter((r) => r["channel"] === "chat");
    assert.equal(replies.length, 3);
    assert.match(String(replies[2]?.["text"]), /^Hi Katherine, .*€19\.99/);
    assert.equal(await reasks(registry), 0);
  });

  test("an account number the account system does not hold: the customer is asked to check it, which is not a re-ask", async () => {
    await customerSays(writer, "cx-typo", {
      channel: "chat",
      address: "chat-typo",
      text: "I was charged twice, my account is acc-9999",
      n: 1,
      opens: { customerId: "cust-typo", verified: false },
    });
    const facts = await caseFactsWhen(client, "cx-typo", (fs) => count(fs, "reply.drafted") === 1);
    assert.equal(count(facts, "identity.verified"), 0);
    assert.equal(asks(facts).length, 1);
    assert.match(String(dataOf(facts, "reply.drafted")[0]?.["text"]), /could not find account acc-9999/);
    assert.equal(await reasks(registry), 0);
  });

  test("an account number given in an earlier message is the claim: a code goes to the account's contact without asking for the number", async () => {
    await customerSays(writer, "cx-early", {
      channel: "email",
      address: "accounts@hopper-new.example",
      text: "Hello, writing about our account acc-2002.",
      n: 1,
      opens: { customerId: "cust-early", verified: false },
      intent: false,
    });
    await customerSays(writer, "cx-early", { channel: "email", address: "accounts@hopper-new.example", text: "We were charged twice for our October invoice.", n: 2 });
    const facts = await caseFactsWhen(client, "cx-early", (fs) => dataOf(fs, "reply.drafted").filter((r) => !String(r["text"]).startsWith("[sealed:")).length === 1);
    assert.equal(dataOf(facts, "identity.challenged")[0]?.["accountId"], "acc-2002");
    assert.equal(count(facts, "identity.verified"), 0);
    assert.equal(count(facts, "account.loaded"), 0, "nothing of the account is loaded before it is proved");
    assert.equal(asks(facts).length, 0);
    const out = await sealed.outbound(String(dataOf(facts, "identity.challenged")[0]?.["challengeId"]));
    assert.equal(out?.address, "billing@hopper.example", "the code goes to the registered address, not to the one that wrote");
    assert.equal(await reasks(registry), 0);
  });

  test("a new case of a customer verified on an earlier case, from an address they proved: identity carries over without asking", async () => {
    const needId = await customerSays(writer, "cx-ada-2", {
      channel: "email",
      address: "ada@example.com",
      text: "My internet keeps dropping since Monday",
      n: 1,
      opens: { customerId: ADA, verified: true },
    });
    const facts = await caseFactsWhen(client, "cx-ada-2", (fs) => needFacts(fs, "need.done", needId).length === 1 && count(fs, "reply.drafted") === 1);
    assert.equal(dataOf(facts, "intent.classified")[0]?.["intent"], "technical_problem");
    assert.deepEqual(dataOf(facts, "identity.verified"), [{ customerId: ADA, method: "channel_address", accountId: "acc-1001" }], "carried over from the proved address, not asked");
    assert.equal(asks(facts).length, 0);
    assert.deepEqual(openedFor(facts, "reply").map((d) => (d["input"] as Data)["about"]), ["intent.technical_problem"]);
    const reply = facts.find((f) => f.fact.kind === "reply.drafted");
    const data = (reply?.fact.data ?? {}) as Data;
    assert.equal(data["channel"], "email");
    // The acknowledgement does not wait for identity: it may name Ada only when the verification came before it.
    const verifiedAt = facts.find((f) => f.fact.kind === "identity.verified")?.seq ?? Infinity;
    assert.match(String(data["text"]), /^Hello( Ada)?,\n\nWe have your report of the technical problem/);
    if (String(data["text"]).startsWith("Hello Ada")) assert.ok(verifiedAt < (reply?.seq ?? 0), "a name only after identity.verified");
    assert.equal(await reasks(registry), 0);
  });

  test("the composer shapes one status per channel, and only a credit reply schedules a follow-up", async () => {
    const base = await client.getCase({ caseId: "cx-ada" });
    const ledgerRef = String(dataOf(base.facts, "credit.applied")[0]?.["ledgerRef"]);
    const needs: Record<string, { channel: Channel; about: string }> = {
      "cx-ada-compose-chat": { channel: "chat", about: "case.status" },
      "cx-ada-compose-voice": { channel: "voice", about: "case.status" },
      "cx-ada-compose-email": { channel: "email", about: "case.status" },
      "cx-ada-compose-followup": { channel: "email", about: "followup" },
    };
    for (const [needId, input] of Object.entries(needs)) {
      await writer.append({ caseId: "cx-ada", kind: "need.opened", needId, data: { needId, capability: "reply", input, requires: [], attempt: 1, fallback: null } });
    }
    const facts = await caseFactsWhen(client, "cx-ada", (fs) => Object.keys(needs).every((id) => needFacts(fs, "need.done", id).length === 1));
    const draftOf = (needId: string) => {
      const f = facts.find((x) => x.fact.kind === "reply.drafted" && x.fact.needId === needId);
      assert.ok(f !== undefined, `no reply.drafted for ${needId}`);
      return f.fact.data as { channel: string; text: string };
    };
    const chat = draftOf("cx-ada-compose-chat");
    assert.equal(chat.channel, "chat");
    assert.ok(chat.text.length <= 160, `chat: ${chat.text.length} characters`);
    assert.match(chat.text, /^Hi Ada, We have credited €49\.99 back/);

    const voice = draftOf("cx-ada-compose-voice");
    assert.equal(voice.channel, "voice");
    assert.match(voice.text, /forty-nine euros and ninety-nine cents/);
    assert.doesNotMatch(voice.text, /\d|€/);
    assert.ok(voice.text.endsWith(VOICE_CLOSING));

    const email = draftOf("cx-ada-compose-email");
    assert.equal(email.channel, "email");
    assert.match(email.text, /^Hello Ada,\n\n/);
    assert.ok(email.text.includes(`We have credited €49.99 back to your account; your reference is ${ledgerRef}.`));
    assert.match(email.text, /Kind regards,\nThe Northwind Connect care team$/);
    assert.ok(email.text.length > chat.text.length);

    const followups = (needId: string) => facts.filter((f) => f.fact.kind === "need.opened" && f.fact.needId === needId && (f.fact.data as Data)["capability"] === "followup.schedule");
    for (const needId of Object.keys(needs)) assert.equal(followups(needId).length, 0, `${needId} schedules nothing`);
    assert.equal(draftOf("cx-ada-compose-followup").channel, "email");
  });
});

describe("cx intent and composer peers on Claude (a local Messages API)", async () => {
  const fake = await startFakeAnthropic();
  after(() => fake.close());
  const { nc, client, writer } = await startMesh({ name: "cx-peers-claude" });
  const env = { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: fake.url, CASEMESH_MODEL_MAX_RETRIES: "0", CASEMESH_MODEL_TIMEOUT_MS: "5000" };
  const registry = await startCxPeers(nc, "c", (deps) => reasonerFromEnv(env, deps));
  await provedBefore(writer, "acc-1001", [{ channel: "chat", address: "chat-ada" }]);

  test("the intent and the reply come from the model; every prompt carries the context hierarchy and no card number", async () => {
    const modelReply = "Sorry about that, Ada: the second October charge of €49.99 is credited back to your account.";
    fake.answer(
      { tool: "record_intent", input: { intent: "billing_dispute", confidence: 0.87, entities: { amounts: [], dates: ["October"], orderIds: [] } } },
      { tool: "write_reply", input: { text: modelReply } },
    );
    await customerSays(writer, "cx-claude", {
      channel: "chat",
      address: "chat-ada",
      text: "I was charged twice for my October bill, my card 4111 1111 1111 1111",
      n: 1,
      opens: { customerId: ADA, verified: true },
    });
    const facts = await caseFactsWhen(client, "cx-claude", (fs) => count(fs, "timer.set") === 1);

    assert.deepEqual(dataOf(facts, "intent.classified"), [{ intent: "billing_dispute", confidence: 0.87, entities: { amounts: [], dates: ["October"], orderIds: [] } }]);
    assert.equal(count(facts, "credit.applied"), 1);
    assert.deepEqual(dataOf(facts, "reply.drafted").map((r) => [r["channel"], r["text"]]), [["chat", modelReply]]);

    const ok = fake.requests.filter((r) => r.status === 200);
    assert.equal(ok.length, 2, "one model call to classify, one to draft");
    const system = (i: number) => (ok[i]?.body["system"] as Array<{ text: string }>).map((b) => b.text).join("\n");
    // Classifying runs before the case is verified: no product line of an account not yet proved. The reply, after it, has Ada's.
    for (const [i, sections] of [[0, ["# Organisation: Northwind Connect", "# Protocol: intent"]], [1, ["# Organisation: Northwind Connect", "# Product line: Home broadband", "# Protocol: reply"]]] as const) {
      const text = system(i);
      const at = sections.map((s) => text.indexOf(s));
      assert.ok(at.every((p, k) => p >= 0 && (k === 0 || p > (at[k - 1] ?? -1))), `request ${i}: context sections at ${at.join(", ")}`);
    }
    assert.doesNotMatch(system(0), /# Product line/);
    for (const r of fake.requests) assert.doesNotMatch(r.raw, /4111[ -]?1111[ -]?1111[ -]?1111/);
    assert.match(ok[0]?.raw ?? "", /\[card \*\*\*\*1111\]/);
    assert.match(ok[0]?.raw ?? "", /charged twice for my October bill/);
    assert.match(ok[1]?.raw ?? "", /€49\.99/, "the reply prompt carries the credit to convey");
    const body = await registry.metrics();
    assert.equal(sample(body, "casemesh_model_tokens_total", { operation: "classify_intent", kind: "input" }), 100, "model tokens are counted on the peers' registry");
    assert.equal(sample(body, REASKS_METRIC, { capability: "identity.verify" }), 0);
    assertPromtoolClean(body);
  });
});

describe("cx intent, identity and composer peers as processes", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "cx-peers-processes" });
  const ledger = await Ledger.open(nc);
  await startHost(nc, [
    accountPeer({ id: "account-p" }),
    billingPeer({ id: "billing-p", ledger, config: { humanThresholdMinor: DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR } }),
    followupPeer({ id: "followup-p" }),
  ]);
  await provedBefore(writer, "acc-1001", [{ channel: "chat", address: "chat-ada" }]);

  test("each entry point serves its capability under the PEER_ID it is given, two copies side by side", async () => {
    const peers: Array<[string, string]> = [
      ["peers/cx/intent.ts", "intent-p1"],
      ["peers/cx/intent.ts", "intent-p2"],
      ["peers/cx/identity.ts", "identity-p1"],
      ["peers/cx/composer.ts", "composer-p1"],
    ];
    await Promise.all(
      peers.map(async ([script, peerId]) => {
        const proc = spawnTs(script, peerEnv(server.url, { PEER_ID: peerId, CASEMESH_HOST_ID: `host-${peerId}`, ANTHROPIC_API_KEY: "" }));
        const ready = await proc.waitForLog((l) => l["msg"] === "peers ready", 30_000);
        assert.deepEqual(ready["peers"], [peerId]);
      }),
    );
    await customerSays(writer, "cx-proc", {
      channel: "chat",
      address: "chat-ada",
      text: "I was charged twice for my October bill",
      n: 1,
      opens: { customerId: ADA, verified: true },
    });
    const facts = await caseFactsWhen(client, "cx-proc", (fs) => count(fs, "timer.set") === 1);
    const servedBy = Object.fromEntries(dataOf(facts, "need.claimed").map((c) => [c["capability"], c["peer"]]));
    assert.ok(["intent-p1", "intent-p2"].includes(String(servedBy["intent"])), `intent served by ${String(servedBy["intent"])}`);
    const intentBids = (dataOf(facts, "need.claimed").find((c) => c["capability"] === "intent")?.["bids"] as Data[]).map((b) => b["peer"]).sort();
    assert.deepEqual(intentBids, ["intent-p1", "intent-p2"], "both copies bid for the intent need");
    assert.equal(servedBy["identity.verify"], "identity-p1");
    assert.equal(servedBy["reply"], "composer-p1");
    assert.match(String(dataOf(facts, "reply.drafted")[0]?.["text"]), /^Hi Ada, .*€49\.99/);
  });
});
