/**
 * Identity takeover, tried the way a stranger would: through the gateway's
 * real gRPC API, against a real nats-server, with the reference CX peers
 * running. Each test is one attack and what stops it.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { Registry } from "prom-client";
import type { StoredFact } from "../blackboard/index.ts";
import type { OutboundReply__Output } from "../gateway/generated/casemesh/v1/OutboundReply.ts";
import { createLogger } from "../observability/logger.ts";
import { createRegistry } from "../observability/metrics-server.ts";
import { accountPeer } from "../peers/cx/account.ts";
import { DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR, billingPeer } from "../peers/cx/billing.ts";
import { composerPeer } from "../peers/cx/composer.ts";
import { HANDOFF_TELL, LOCKED_TELL } from "../peers/cx/identity.ts";
import { intentPeer } from "../peers/cx/intent.ts";
import { Ledger } from "../peers/cx/ledger.ts";
import type { ReasonerSource } from "../peers/cx/reasoner-source.ts";
import { RulesReasoner, reasonerFromEnv } from "../peers/cx/reasoners/index.ts";
import { cxIdentityPeer } from "./harness/cx.ts";
import { logSink } from "./harness/log-sink.ts";
import { startFakeAnthropic } from "./harness/fake-anthropic.ts";
import { status } from "@grpc/grpc-js";
import { TOKENS, auth, call, callFails, channelClient, collect, startGateway } from "./harness/gateway.ts";
import { sample } from "./harness/metrics.ts";
import { startHost, startMesh } from "./harness/mesh.ts";
import { eventually } from "./harness/wait.ts";

type Data = Record<string, unknown>;
const dataOf = (facts: StoredFact[], kind: string): Data[] => facts.filter((f) => f.fact.kind === kind).map((f) => f.fact.data as Data);
const count = (facts: StoredFact[], kind: string): number => dataOf(facts, kind).length;
const openedFor = (facts: StoredFact[], capability: string): Data[] => dataOf(facts, "need.opened").filter((d) => d["capability"] === capability);

/** Everything Ada's account would give away: her name, contacts, charges and amounts. */
const ADA_SECRETS = /Ada|Lovelace|ada@example\.com|7946|chat-ada|ch-1001|49\.99|Home Fibre|cr_/;

/**
 * A mesh with the gateway and the reference peers in this process, the
 * e-mail Outbox read from the start as an e-mail sender would, and every log
 * line of the peers and the gateway kept.
 */
async function startIdentityMesh(name: string, reasoner: ReasonerSource) {
  const mesh = await startMesh({ name });
  const { nc } = mesh;
  const logs = logSink();
  const registry: Registry = createRegistry();
  const logger = createLogger({ role: "peers", level: "debug", destination: logs.stream });
  await startHost(
    nc,
    [
      intentPeer({ id: `intent-${name}`, reasoner }),
      await cxIdentityPeer(nc, `identity-${name}`),
      composerPeer({ id: `composer-${name}`, reasoner }),
      accountPeer({ id: `account-${name}` }),
      billingPeer({ id: `billing-${name}`, ledger: await Ledger.open(nc), config: { humanThresholdMinor: DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR } }),
    ],
    { registry, logger },
  );
  const gateway = await startGateway(nc, { logger: createLogger({ role: "gateway", level: "debug", destination: logs.stream }) });
  const grpc = channelClient(gateway.address);
  const outbox = grpc.Outbox({ channel: "EMAIL", after_seq: "0" }, auth(TOKENS.email));
  const emails = collect<OutboundReply__Output>(outbox);
  after(async () => {
    outbox.cancel();
    await emails.ended;
  });

  let n = 0;
  const tokens = { CHAT: TOKENS.chat, VOICE: TOKENS.voice, EMAIL: TOKENS.email } as const;
  const send = (channel: "CHAT" | "VOICE" | "EMAIL", address: string, text: string) => call(grpc, "Send", { channel, address, text, client_message_id: `${name}-${++n}` }, tokens[channel]);
  const facts = async (caseId: string) => (await mesh.client.getCase({ caseId })).facts;
  /** The case's facts once it holds `replies` replies on `channel` (sealed code messages aside) and no step is open on it. */
  const settledWith = (caseId: string, replies: number, channel = "chat") =>
    eventually(`${replies} ${channel} replies on ${caseId}`, async () => {
      const got = await mesh.client.getCase({ caseId }).catch(() => undefined);
      if (got === undefined) return undefined;
      const drafted = dataOf(got.facts, "reply.drafted").filter((r) => r["channel"] === channel && !String(r["text"]).startsWith("[sealed:"));
      const busy = got.case.openNeeds.some((id) => got.facts.some((f) => f.fact.kind === "need.claimed" && (f.fact.data as Data)["needId"] === id));
      return drafted.length >= replies && !busy ? got.facts : undefined;
    });
  const replies = (fs: StoredFact[], channel = "chat") => dataOf(fs, "reply.drafted").filter((r) => r["channel"] === channel).map((r) => String(r["text"]));
  /** The code e-mail the Outbox delivered for `caseId`, with the code in it. */
  const codeMail = (caseId: string, nth = 1) =>
    eventually(`code e-mail ${nth} for ${caseId}`, async () => {
      const mails = emails.items.filter((e) => e.case_id === caseId && /verification code is \d{6}/.test(e.text));
      const mail = mails[nth - 1];
      return mail === undefined ? undefined : { ...mail, code: /code is (\d{6})/.exec(mail.text)?.[1] ?? "" };
    });
  return { ...mesh, grpc, registry, logs, emails, send, facts, settledWith, replies, codeMail };
}

describe("identity takeover through the gateway (rules)", async () => {
  const m = await startIdentityMesh("takeover", new RulesReasoner());

  test("a stranger who types a real account number is not verified, told nothing of the account, credited nothing, and linked to none of its addresses", async () => {
    const first = await m.send("CHAT", "chat-stranger-1", "I was charged twice for my October bill");
    await m.settledWith(first.case_id, 1);
    const claim = await m.send("CHAT", "chat-stranger-1", "my account number is acc-1001");
    assert.equal(claim.case_id, first.case_id);
    const facts = await m.settledWith(first.case_id, 2);

    assert.equal(count(facts, "identity.verified"), 0, "knowing an account number is not identity");
    assert.equal(count(facts, "account.loaded"), 0);
    assert.equal(count(facts, "credit.applied"), 0);
    for (const text of m.replies(facts)) assert.doesNotMatch(text, ADA_SECRETS, `a reply to the stranger gave something away: ${text}`);
    assert.match(m.replies(facts).at(-1) ?? "", /code to the e-mail address registered on it/);
    assert.deepEqual(dataOf(facts, "customer.linked").map((l) => l["address"]), ["chat-stranger-1"], "no address of the account is linked to the stranger");
    assert.equal(dataOf(facts, "identity.challenged")[0]?.["accountId"], "acc-1001");

    // The code went to Ada's registered e-mail address, not to the stranger.
    const mail = await m.codeMail(first.case_id);
    assert.deepEqual(mail.addresses, ["ada@example.com"]);
    const stranger = await m.client.getCustomer({ customerId: first.customer_id });
    assert.deepEqual(stranger.customer.addresses.map((a) => a.address), ["chat-stranger-1"]);
    assert.equal(stranger.customer.verified, null);
    assert.doesNotMatch(JSON.stringify(facts), new RegExp(mail.code), "the code is in no fact");

    // Nor can the stranger's channel back end join Ada's registered e-mail to the stranger.
    const err = await callFails(m.grpc, "LinkAddress", { known_channel: "CHAT", known_address: "chat-stranger-1", channel: "EMAIL", address: "Ada@Example.com", verified: true }, TOKENS.email);
    assert.equal(err.code, status.FAILED_PRECONDITION);
    assert.match(err.details, /registered contact of another customer's account/);
    const owner = await m.send("EMAIL", "ada@example.com", "Hello, is my account all right?");
    assert.equal(owner.customer_id, "cu-acct-acc-1001", "a registered contact always resolves to the account's customer");
    assert.notEqual(owner.case_id, first.case_id);
  });

  test("ten strangers claim Ada's account and change nothing; Ada, from a new address, proves it with the code, joins her account's customer, and her call from her registered phone lands on her case", async (t) => {
    const strangers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const sent = await m.send("CHAT", `chat-crowd-${i}`, "I was charged twice for my October bill, my account is acc-1001");
        await m.settledWith(sent.case_id, 1);
        return sent;
      }),
    );
    assert.equal(new Set(strangers.map((s) => s.case_id)).size, 10, "each stranger is on a case of their own");

    const claimedAt = Date.now();
    const ada = await m.send("CHAT", "web-visitor-77", "Hello, I was charged twice for my October bill. My account is acc-1001");
    assert.ok(!strangers.some((s) => s.case_id === ada.case_id));
    await m.settledWith(ada.case_id, 1);
    t.diagnostic(`claim to the reply saying a code was sent: ${Date.now() - claimedAt} ms`);
    // Ada reads her e-mail, as the e-mail sender delivered it, and types the code.
    const mail = await m.codeMail(ada.case_id);
    assert.deepEqual(mail.addresses, ["ada@example.com"]);
    const answeredAt = Date.now();
    const answered = await m.send("CHAT", "web-visitor-77", `the code is ${mail.code}`);
    assert.equal(answered.case_id, ada.case_id);
    const facts = await m.settledWith(ada.case_id, 2);
    t.diagnostic(`code to the credit's reply: ${Date.now() - answeredAt} ms`);

    assert.deepEqual(dataOf(facts, "identity.verified"), [{ customerId: "cu-acct-acc-1001", method: "otp", accountId: "acc-1001" }]);
    assert.equal(count(facts, "credit.applied"), 1);
    assert.match(m.replies(facts).at(-1) ?? "", /^Hi Ada, .*€49\.99/);
    const adaCase = await m.client.getCase({ caseId: ada.case_id });
    assert.equal(adaCase.case.customerId, "cu-acct-acc-1001", "the case belongs to the account's customer now");
    const message = facts.filter((f) => f.fact.kind === "message.received").at(-1)?.fact.data as Data;
    assert.equal(message["text"], "the code is ••••••", "the answer reached the log sealed");
    const attempts = dataOf(facts, "identity.attempted");
    assert.deepEqual(attempts.map((a) => [a["outcome"], a["address"]]), [["verified", "web-visitor-77"]], "the attempt is audited with where it came from");

    const owner = await m.client.getCustomer({ customerId: "cu-acct-acc-1001" });
    assert.ok(owner.customer.addresses.some((a) => a.channel === "chat" && a.address === "web-visitor-77" && a.verified), "Ada's new address joined her customer");
    assert.ok(!owner.customer.addresses.some((a) => a.address.startsWith("chat-crowd-")), "no stranger's address did");
    const visitor = await m.client.findCustomerByAddress({ channel: "chat", address: "web-visitor-77" });
    assert.equal(visitor.customerId, "cu-acct-acc-1001");

    // The next day Ada calls from her registered phone: her own case, never a stranger's.
    const call1 = await m.send("VOICE", "+44 20 7946 0001", "Hi, has the refund for October come through?");
    assert.equal(call1.case_id, ada.case_id, "the call lands on Ada's case");
    assert.equal(call1.customer_id, "cu-acct-acc-1001");
    const after = await m.settledWith(ada.case_id, 1, "voice");
    assert.match(m.replies(after, "voice").at(-1) ?? "", /^Hello Ada\..*credited/);

    for (const s of strangers) {
      const theirs = await m.facts(s.case_id);
      assert.equal(count(theirs, "identity.verified"), 0);
      assert.equal(count(theirs, "account.loaded") + count(theirs, "credit.applied"), 0);
      assert.ok(!theirs.some((f) => f.fact.kind === "message.received" && (f.fact.data as Data)["channel"] === "voice"), "Ada's call is on no stranger's case");
      for (const text of m.replies(theirs)) assert.doesNotMatch(text, ADA_SECRETS);
    }
    assert.equal(sample(await m.registry.metrics(), "casemesh_identity_attempts_total", { method: "otp", outcome: "verified" }), 1);
    assert.ok((sample(await m.registry.metrics(), "casemesh_identity_challenges_total", { channel: "email" }) ?? 0) >= 12);
  });

  test("wrong codes: after the configured tries the account is locked and the case goes to human.identity once; a later claim on the locked account goes to a person too", async () => {
    const first = await m.send("CHAT", "chat-guesser", "I was charged twice for my October bill, account acc-2002");
    await m.settledWith(first.case_id, 1);
    const mail = await m.codeMail(first.case_id);
    assert.deepEqual(mail.addresses, ["billing@hopper.example"]);
    const guesses = ["111111", "222 222", "333-333"].filter((g) => g.replace(/\D/g, "") !== mail.code);
    assert.equal(guesses.length, 3);
    for (const [i, guess] of guesses.entries()) {
      await m.send("CHAT", "chat-guesser", `is it ${guess}?`);
      await m.settledWith(first.case_id, 2 + i);
    }
    let facts = await m.facts(first.case_id);
    assert.deepEqual(dataOf(facts, "identity.attempted").map((a) => [a["outcome"], a["tries"]]), [["wrong_code", 1], ["wrong_code", 2], ["wrong_code", 3]]);
    assert.match(m.replies(facts)[1] ?? "", /does not match.*2 tries left/);
    const locked = dataOf(facts, "identity.locked");
    assert.equal(locked.length, 1);
    assert.equal(locked[0]?.["accountId"], "acc-2002");
    assert.ok(Date.parse(String(locked[0]?.["until"])) - Date.now() > 25 * 60_000, "locked for the configured 30 minutes");
    assert.equal(openedFor(facts, "human.identity").length, 1);
    assert.equal((openedFor(facts, "human.identity")[0]?.["input"] as Data)["rule"], "identity-locked");
    assert.equal(m.replies(facts).at(-1), `Hi, ${LOCKED_TELL}`);
    assert.equal(count(facts, "identity.verified"), 0);

    // The real code, now: too late, the person has the case.
    await m.send("CHAT", "chat-guesser", `sorry, ${mail.code}`);
    facts = await m.settledWith(first.case_id, 5);
    assert.equal(openedFor(facts, "human.identity").length, 1, "human.identity once");
    assert.equal(count(facts, "escalation.requested"), 1);
    assert.equal(count(facts, "identity.verified"), 0);

    // Another claimant on the locked account gets no code and goes to a person.
    const other = await m.send("CHAT", "chat-guesser-2", "charged twice in October, account acc-2002");
    const theirs = await m.settledWith(other.case_id, 1);
    assert.equal(count(theirs, "identity.challenged"), 0, "a locked account sends no code");
    assert.equal(openedFor(theirs, "human.identity").length, 1);
    assert.deepEqual(dataOf(theirs, "identity.attempted").map((a) => a["outcome"]), ["locked"]);

    // Neither the code nor any guess is in a fact, a log line or an address of the log.
    const everything = JSON.stringify([facts, theirs]);
    for (const secret of [mail.code, "111111", "222222", "333333", "222 222", "333-333"]) {
      const at = everything.indexOf(secret);
      assert.equal(at, -1, `${secret} is in a fact: …${everything.slice(Math.max(0, at - 200), at + 40)}…`);
      assert.ok(!m.logs.lines.some((l) => l.includes(secret)), `${secret} is in a log line`);
    }
    assert.ok(m.logs.lines.some((l) => l.includes("too many wrong codes")), "the peers' log is captured");
    const metrics = await m.registry.metrics();
    assert.equal(sample(metrics, "casemesh_identity_attempts_total", { method: "otp", outcome: "wrong_code" }), 3);
    assert.equal(sample(metrics, "casemesh_identity_lockouts_total", {}), 1);
  });

  test("unknown account numbers still go to a person after the organisation's limit, told so once", async () => {
    const first = await m.send("CHAT", "chat-unknown", "I was charged twice, my account is acc-73519");
    await m.settledWith(first.case_id, 1);
    await m.send("CHAT", "chat-unknown", "try acc-86420");
    const facts = await m.settledWith(first.case_id, 2);
    assert.equal(openedFor(facts, "human.identity").length, 1);
    assert.equal(m.replies(facts).at(-1), `Hi, ${HANDOFF_TELL}`);
    assert.deepEqual(dataOf(facts, "identity.attempted").map((a) => a["outcome"]), ["unknown_account", "unknown_account"]);
  });
});

describe("identity on Claude: no code or answer reaches a prompt", async () => {
  const fake = await startFakeAnthropic();
  after(() => fake.close());
  const env = { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: fake.url, CASEMESH_MODEL_MAX_RETRIES: "0", CASEMESH_MODEL_TIMEOUT_MS: "5000" };
  const m = await startIdentityMesh("prompts", (deps) => reasonerFromEnv(env, deps));
  const intent = (i: "billing_dispute" | "other") => ({ tool: "record_intent", input: { intent: i, confidence: 0.9, entities: { amounts: [], dates: [], orderIds: [] } } });
  const reply = (text: string) => ({ tool: "write_reply", input: { text } });

  test("the claim, a wrong code and the right one: every prompt carries dots where the codes were", async () => {
    fake.answer(intent("billing_dispute"), reply("I sent a code to the e-mail on the account."));
    const first = await m.send("CHAT", "chat-prompted", "I was charged twice for my October bill, account acc-1001");
    await m.settledWith(first.case_id, 1);
    const mail = await m.codeMail(first.case_id);
    const wrong = mail.code === "123456" ? "654321" : "123456";
    fake.answer(intent("other"), reply("That code does not match."));
    await m.send("CHAT", "chat-prompted", `here: ${wrong}`);
    await m.settledWith(first.case_id, 2);
    fake.answer(intent("other"), reply("Thank you, Ada: the duplicate charge is credited."));
    await m.send("CHAT", "chat-prompted", `ah no, ${mail.code}`);
    const facts = await m.settledWith(first.case_id, 3);
    assert.deepEqual(dataOf(facts, "identity.verified"), [{ customerId: "cu-acct-acc-1001", method: "otp", accountId: "acc-1001" }]);
    const ok = fake.requests.filter((r) => r.status === 200);
    assert.ok(ok.length >= 6, `${ok.length} model calls`);
    assert.ok(ok.some((r) => r.raw.includes("\\u2022\\u2022\\u2022\\u2022\\u2022\\u2022") || r.raw.includes("••••••")), "the prompt saw the sealed answer");
    for (const r of fake.requests) {
      assert.ok(!r.raw.includes(mail.code), "the code reached a prompt");
      assert.ok(!r.raw.includes(wrong), "a guess reached a prompt");
    }
  });
});
