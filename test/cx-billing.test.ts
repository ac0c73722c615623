import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { StoredFact } from "../blackboard/index.ts";
import type { FactWriter } from "../blackboard/writer.ts";
import { ConflictError } from "../core/errors.ts";
import { accountPeer } from "../peers/cx/account.ts";
import { DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR, billingPeer, refundKey } from "../peers/cx/billing.ts";
import { Ledger, ledgerKey } from "../peers/cx/ledger.ts";
import { TEST_LEASE_MS, startHost, startMesh } from "./harness/mesh.ts";
import { spawnPeer, type TestProcess } from "./harness/processes.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

type Data = Record<string, unknown>;
const dataOf = (facts: StoredFact[], kind: string): Data[] => facts.filter((f) => f.fact.kind === kind).map((f) => f.fact.data as Data);
const openedFor = (facts: StoredFact[], capability: string): Data[] => dataOf(facts, "need.opened").filter((d) => d["capability"] === capability);

/**
 * Writes what the gateway, the intent peer and the identity peer would have
 * written for a customer disputing a charge, then opens `account.load` and a
 * `billing.dispute` that waits for `account.loaded`.
 */
async function openDispute(
  writer: FactWriter,
  caseId: string,
  c: { channel: "chat" | "email"; address: string; accountId: string | null; amountMinor: number; text: string },
): Promise<{ accountNeed: string; billingNeed: string }> {
  const customerId = `cust-${caseId}`;
  const accountNeed = `${caseId}-account`;
  const billingNeed = `${caseId}-billing`;
  await writer.append({ caseId, kind: "case.opened", data: { customerId, channel: c.channel, tier: "standard" } });
  await writer.append({ caseId, kind: "message.received", data: { channel: c.channel, address: c.address, text: c.text, clientMessageId: `${caseId}-m1`, attachments: [] } });
  await writer.append({
    caseId,
    kind: "intent.classified",
    data: { intent: "billing_dispute", confidence: 0.93, entities: { amounts: [{ amountMinor: c.amountMinor, currency: "EUR" }], dates: ["October"], orderIds: [] } },
  });
  if (c.accountId !== null) await writer.append({ caseId, kind: "identity.verified", data: { customerId, method: "channel_address", accountId: c.accountId } });
  await writer.append({ caseId, kind: "need.opened", data: { needId: accountNeed, capability: "account.load", input: {}, requires: [], attempt: 1, fallback: null } });
  await writer.append({
    caseId,
    kind: "need.opened",
    data: { needId: billingNeed, capability: "billing.dispute", input: {}, requires: ["account.loaded"], attempt: 1, fallback: null },
  });
  return { accountNeed, billingNeed };
}

describe("cx account and billing peers", async () => {
  const { nc, client, writer } = await startMesh({ name: "cx-billing" });
  const ledger = await Ledger.open(nc);
  await startHost(nc, [accountPeer({ id: "account-t" }), billingPeer({ id: "billing-t", ledger, config: { humanThresholdMinor: DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR } })]);

  test("a double October charge under the threshold: account.loaded, then credit.applied once, one ledger credit and a reply need", async (t) => {
    const started = Date.now();
    const { accountNeed, billingNeed } = await openDispute(writer, "bill-ada", {
      channel: "chat",
      address: "chat-ada",
      accountId: "acc-1001",
      amountMinor: 4999,
      text: "You took my October payment twice!",
    });
    const facts = await caseFactsWhen(client, "bill-ada", (fs) => needFacts(fs, "need.done", billingNeed).length === 1);
    t.diagnostic(`dispute settled ${Date.now() - started} ms after the needs were opened`);
    assert.equal(needFacts(facts, "need.done", accountNeed).length, 1);

    const loaded = dataOf(facts, "account.loaded");
    assert.equal(loaded.length, 1);
    assert.equal(loaded[0]?.["accountId"], "acc-1001");
    assert.equal(loaded[0]?.["plan"], "Home Fibre 500");
    assert.equal((loaded[0]?.["charges"] as unknown[]).length, 4);
    assert.deepEqual(
      (loaded[0]?.["articles"] as { id: string }[]).map((a) => a.id),
      ["kb-billing-duplicate", "kb-billing-read-invoice", "kb-billing-refund-timing"],
      "the articles for a billing dispute, none for other intents",
    );

    const credits = facts.filter((f) => f.fact.kind === "credit.applied");
    assert.equal(credits.length, 1);
    const credit = credits[0]?.fact.data as { ledgerRef: string; idempotencyKey: string; amount: unknown; accountId: string };
    assert.equal(credit.idempotencyKey, refundKey("acc-1001", ["ch-1001-10b"]), "the credit is keyed by the charge it gives back");
    assert.equal((await ledger.get(credit.idempotencyKey))?.stepKey, billingNeed, "and names the step that applied it");
    assert.deepEqual(credit.amount, { amountMinor: 4999, currency: "EUR" });
    assert.equal(credit.accountId, "acc-1001");
    const loadedSeq = facts.find((f) => f.fact.kind === "account.loaded")?.seq ?? Infinity;
    assert.ok(loadedSeq < (credits[0]?.seq ?? 0), "the billing step ran after the account was loaded");

    const inLedger = await ledger.credits("acc-1001");
    assert.equal(inLedger.length, 1);
    assert.equal(inLedger[0]?.ledgerRef, credit.ledgerRef);
    assert.deepEqual(inLedger[0]?.chargeIds, ["ch-1001-10b"], "the second October charge is the one given back");

    const replies = openedFor(facts, "reply");
    assert.equal(replies.length, 1);
    const input = replies[0]?.["input"] as { tell: string; ledgerRef: string };
    assert.equal(input.ledgerRef, credit.ledgerRef);
    assert.match(input.tell, /€49\.99/);
    assert.equal(openedFor(facts, "human.billing").length, 0);
  });

  test("above the threshold: escalation.requested and a human.billing need, no ledger credit", async () => {
    const { billingNeed } = await openDispute(writer, "bill-grace", {
      channel: "email",
      address: "Billing@Hopper.example",
      accountId: "acc-2002",
      amountMinor: 24900,
      text: "Our October invoice was charged twice.",
    });
    const facts = await caseFactsWhen(client, "bill-grace", (fs) => needFacts(fs, "need.done", billingNeed).length === 1);
    assert.equal(dataOf(facts, "account.loaded")[0]?.["accountId"], "acc-2002");
    const escalations = dataOf(facts, "escalation.requested");
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0]?.["capability"], "human.billing");
    assert.match(String(escalations[0]?.["reason"]), /€249\.00 is above the €100\.00/);
    const human = openedFor(facts, "human.billing");
    assert.equal(human.length, 1);
    assert.deepEqual((human[0]?.["input"] as Data)["chargeIds"], ["ch-2002-10b"]);
    assert.deepEqual((human[0]?.["input"] as Data)["amount"], { amountMinor: 24900, currency: "EUR" });
    assert.equal(dataOf(facts, "credit.applied").length, 0);
    assert.equal(openedFor(facts, "reply").length, 0);
    assert.deepEqual(await ledger.credits("acc-2002"), []);
    assert.equal(await ledger.get(refundKey("acc-2002", ["ch-2002-10b"])), undefined);
  });

  test("the same charge disputed again on a new case (another key): no second credit, a reply quoting the first", async () => {
    const first = await ledger.credits("acc-1001");
    assert.equal(first.length, 1, "the first test credited the October charge");
    const { billingNeed } = await openDispute(writer, "bill-ada-again", {
      channel: "chat",
      address: "chat-ada",
      accountId: "acc-1001",
      amountMinor: 4999,
      text: "Where is my refund for the double October charge?",
    });
    const facts = await caseFactsWhen(client, "bill-ada-again", (fs) => needFacts(fs, "need.done", billingNeed).length === 1);
    assert.equal(dataOf(facts, "credit.applied").length, 0);
    assert.deepEqual(await ledger.credits("acc-1001"), first, "the ledger is unchanged");
    const replies = openedFor(facts, "reply");
    assert.equal(replies.length, 1);
    assert.equal((replies[0]?.["input"] as Data)["about"], "credit.already_applied");
    assert.equal((replies[0]?.["input"] as Data)["ledgerRef"], first[0]?.ledgerRef);
  });

  test("two disputes of one charge running at once (a customer who wrote twice) credit it once", async () => {
    const cases = ["bill-kj-chat", "bill-kj-email"];
    const needs = await Promise.all(
      cases.map((caseId, i) =>
        openDispute(writer, caseId, { channel: i === 0 ? "chat" : "email", address: i === 0 ? "chat-katherine" : "katherine@example.com", accountId: "acc-4004", amountMinor: 1999, text: "You charged me twice in October" }),
      ),
    );
    const settled = await Promise.all(cases.map((caseId, i) => caseFactsWhen(client, caseId, (fs) => needFacts(fs, "need.done", needs[i]?.billingNeed ?? "").length === 1)));
    const inLedger = await ledger.credits("acc-4004");
    assert.equal(inLedger.length, 1, "one credit in the ledger");
    const applied = settled.flatMap((facts) => dataOf(facts, "credit.applied"));
    assert.equal(applied.length, 1, "one credit.applied across both cases");
    assert.equal(applied[0]?.["ledgerRef"], inLedger[0]?.ledgerRef);
    const abouts = settled.flatMap((facts) => openedFor(facts, "reply").map((r) => (r["input"] as Data)["about"])).sort();
    assert.deepEqual(abouts, ["credit.already_applied", "credit.applied"]);
  });

  test("a case not verified for an account, though written from an account's registered address: account.load loads nothing and hands to human.triage", async () => {
    await writer.append({ caseId: "bill-nobody", kind: "case.opened", data: { customerId: "cust-nobody", channel: "email", tier: "standard" } });
    await writer.append({ caseId: "bill-nobody", kind: "message.received", data: { channel: "email", address: "billing@hopper.example", text: "refund me", clientMessageId: "nobody-m1", attachments: [] } });
    await writer.append({ caseId: "bill-nobody", kind: "need.opened", data: { needId: "bill-nobody-account", capability: "account.load", input: {}, requires: [], attempt: 1, fallback: null } });
    const facts = await caseFactsWhen(client, "bill-nobody", (fs) => needFacts(fs, "need.failed", "bill-nobody-account").length === 1);
    const failed = needFacts(facts, "need.failed", "bill-nobody-account")[0]?.fact.data as { reason: string; fallbackNeedId: string };
    assert.match(failed.reason, /not verified for an account/);
    assert.equal(dataOf(facts, "account.loaded").length, 0);
    assert.equal(openedFor(facts, "human.triage")[0]?.["needId"], failed.fallbackNeedId);
  });

  test("the ledger credits once under 20 concurrent applies with one key, and refuses the key for another amount", async () => {
    for (const key of ["case-77.need-3", "case 77 / need:3 — ü"]) {
      const accountId = `acc-${ledgerKey(key).slice(0, 12).replace(/\./g, "-")}`;
      const request = { idempotencyKey: key, accountId, amount: { amountMinor: 1250, currency: "EUR" }, reason: "concurrency test" };
      const results = await Promise.all(Array.from({ length: 20 }, () => ledger.apply(request)));
      assert.equal(results.filter((r) => r.applied).length, 1, `exactly one apply writes the credit for ${key}`);
      assert.equal(new Set(results.map((r) => r.ledgerRef)).size, 1, "every caller gets the same ledgerRef");
      const stored = await ledger.credits(accountId);
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.ledgerRef, results[0]?.ledgerRef);
      assert.equal((await ledger.apply(request)).applied, false, "a later apply finds it");
      await assert.rejects(ledger.apply({ ...request, amount: { amountMinor: 9999, currency: "EUR" } }), ConflictError);
      await ledger.apply({ ...request, idempotencyKey: `${key}-other` });
      assert.equal((await ledger.credits(accountId)).length, 2, "another key is another credit");
    }
    assert.match(ledgerKey("n-0123abcd"), /^k\.n-0123abcd$/);
    assert.match(ledgerKey("a b"), /^h\.[0-9a-f]{64}$/);
    assert.notEqual(ledgerKey(ledgerKey("a b")), ledgerKey("a b"), "a hashed key and a key that looks like one stay apart");
  });
});

describe("billing peer processes", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "cx-billing-processes" });
  const ledger = await Ledger.open(nc);
  await startHost(nc, [accountPeer({ id: "account-p" })]);

  /** Starts test/fixtures/billing-peer.ts as its own process and waits until it serves. */
  async function billingProcess(peerId: string, extraEnv: Record<string, string> = {}): Promise<TestProcess> {
    return spawnPeer("test/fixtures/billing-peer.ts", server.url, { PEER_ID: peerId, CASEMESH_HOST_ID: `host-${peerId}`, ...extraEnv });
  }

  test("kill -9 the billing peer while it holds the credit step: another billing peer finishes it, and the ledger shows one credit", async (t) => {
    const a = await billingProcess("billing-a", { TEST_BILLING_PAUSE_AFTER_LEDGER_MS: "60000" });
    const { billingNeed } = await openDispute(writer, "bill-kill", {
      channel: "chat",
      address: "chat-ada",
      accountId: "acc-1001",
      amountMinor: 4999,
      text: "Charged twice in October.",
    });
    const paused = await a.waitForLog((l) => l["msg"] === "ledger credit; pausing", 20_000);
    assert.equal(paused["applied"], true);
    assert.equal(paused["stepKey"], billingNeed);
    const b = await billingProcess("billing-b");

    // The side effect is done, its facts are not: this is where a crash hurts.
    assert.equal((await ledger.credits("acc-1001")).length, 1);
    const before = await client.getCase({ caseId: "bill-kill" });
    assert.equal(dataOf(before.facts, "credit.applied").length, 0);

    a.kill("SIGKILL");
    const killedAt = Date.now();
    assert.equal(await a.exited, "SIGKILL");

    const facts = await caseFactsWhen(client, "bill-kill", (fs) => needFacts(fs, "need.done", billingNeed).length === 1, 20_000);
    const claims = needFacts(facts, "need.claimed", billingNeed).map((f) => f.fact.data as { peer: string; attempt: number });
    assert.deepEqual(claims.map((c) => [c.attempt, c.peer]), [[1, "billing-a"], [2, "billing-b"]]);
    t.diagnostic(`billing-b finished the step ${Date.now() - killedAt} ms after billing-a was killed (lease ${TEST_LEASE_MS} ms)`);
    assert.equal((needFacts(facts, "need.done", billingNeed)[0]?.fact.data as { peer: string }).peer, "billing-b");

    const inLedger = await ledger.credits("acc-1001");
    assert.equal(inLedger.length, 1, "the ledger shows one credit");
    const credits = dataOf(facts, "credit.applied");
    assert.equal(credits.length, 1, "the case shows one credit.applied");
    assert.equal(credits[0]?.["ledgerRef"], paused["ledgerRef"], "the fact names the credit the killed peer made");
    assert.equal(inLedger[0]?.ledgerRef, paused["ledgerRef"]);
    assert.equal(openedFor(facts, "reply").length, 1);
    const again = await b.waitForLog((l) => l["msg"] === "credit was already applied", 5_000);
    assert.equal(again["ledgerRef"], paused["ledgerRef"]);

    b.kill("SIGTERM");
    assert.equal(await b.exited, 0);
  });
});
