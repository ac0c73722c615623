/**
 * Nothing about an account before it is verified, as a property of the
 * runtime and of the log rather than a habit of each peer: a peer that
 * returns account data for a case not verified for that account is refused
 * at the seam, and a fact written straight to the log is dead-lettered.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRegistry } from "../observability/metrics-server.ts";
import { sample } from "./harness/metrics.ts";
import { openNeed, startHost, startMesh, testPeer } from "./harness/mesh.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

const { nc, client, writer } = await startMesh({ name: "account-seam" });
const loaded = (accountId: string) => ({ kind: "account.loaded" as const, data: { accountId, plan: "Home Fibre 500", charges: [], articles: [] } });

test("a peer that returns an account's data for a case not verified for it is refused: the step fails to its fallback and nothing is written", async () => {
  const registry = createRegistry();
  await startHost(nc, [testPeer("rogue-1", "rogue.load", async () => ({ facts: [loaded("acc-1001")] }), { fallback: "human.triage" })], { registry });
  await openNeed(writer, "seam-rogue", "seam-rogue-n1", "rogue.load");
  const facts = await caseFactsWhen(client, "seam-rogue", (fs) => needFacts(fs, "need.failed", "seam-rogue-n1").length === 1);
  const failed = needFacts(facts, "need.failed", "seam-rogue-n1")[0]?.fact.data as { reason: string; fallbackNeedId: string };
  assert.match(failed.reason, /^refused: account\.loaded for account acc-1001 on a case without a verified identity/);
  assert.ok(facts.some((f) => f.fact.kind === "need.opened" && (f.fact.data as { needId: string }).needId === failed.fallbackNeedId), "the fallback takes over");
  assert.equal(facts.filter((f) => f.fact.kind === "account.loaded").length, 0);
  assert.equal(sample(await registry.metrics(), "casemesh_step_refusals_total", { capability: "rogue.load" }), 1);

  // The same peer on a case verified for another account is refused too; a step that verifies first may write it.
  await writer.append({ caseId: "seam-other", kind: "case.opened", data: { customerId: "cu-acct-acc-2002", channel: "chat", tier: "standard" } });
  await writer.append({ caseId: "seam-other", kind: "identity.verified", data: { customerId: "cu-acct-acc-2002", method: "otp", accountId: "acc-2002" } });
  await openNeed(writer, "seam-other", "seam-other-n1", "rogue.load");
  const other = await caseFactsWhen(client, "seam-other", (fs) => needFacts(fs, "need.failed", "seam-other-n1").length === 1);
  assert.match((needFacts(other, "need.failed", "seam-other-n1")[0]?.fact.data as { reason: string }).reason, /verified for another account/);
});

test("account data written straight to the log on an unverified case is dead-lettered, never projected; on the verified account's case it is projected", async () => {
  await writer.append({ caseId: "seam-log", kind: "case.opened", data: { customerId: "cust-seam", channel: "chat", tier: "standard" } });
  const refused = await writer.append({ caseId: "seam-log", ...loaded("acc-1001") });
  const credit = await writer.append({
    caseId: "seam-log",
    kind: "credit.applied",
    data: { accountId: "acc-1001", amount: { amountMinor: 4999, currency: "EUR" }, reason: "no", ledgerRef: "cr_x", idempotencyKey: "k" },
  });
  const dead = await client.listDeadLetters({ minSeq: credit.seq });
  const bySeq = new Map(dead.deadLetters.map((d) => [d.seq, d]));
  assert.equal(bySeq.get(refused.seq)?.reason, "unverified_account");
  assert.equal(bySeq.get(credit.seq)?.reason, "unverified_account");
  assert.match(bySeq.get(credit.seq)?.detail ?? "", /credit\.applied for account acc-1001 on a case without a verified identity/);
  const before = await client.getCase({ caseId: "seam-log", minSeq: credit.seq });
  assert.deepEqual(before.case.kinds, ["case.opened"], "neither fact is on the case");

  await writer.append({ caseId: "seam-log", kind: "identity.verified", data: { customerId: "cu-acct-acc-1001", method: "otp", accountId: "acc-1001" } });
  const wrong = await writer.append({ caseId: "seam-log", ...loaded("acc-2002") });
  const right = await writer.append({ caseId: "seam-log", ...loaded("acc-1001") });
  const after = await client.getCase({ caseId: "seam-log", minSeq: right.seq });
  assert.deepEqual(after.facts.filter((f) => f.fact.kind === "account.loaded").map((f) => f.seq), [right.seq], "only the verified account's data");
  assert.equal(after.case.customerId, "cu-acct-acc-1001", "the verified case belongs to the account's customer");
  assert.equal((await client.listDeadLetters({ minSeq: right.seq })).deadLetters.find((d) => d.seq === wrong.seq)?.reason, "unverified_account");
});
