import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import type { FactDraft } from "../blackboard/index.ts";
import "../peers/cx/facts.ts";
import { FactWriter } from "../blackboard/writer.ts";
import { ContractViolationError } from "../core/errors.ts";
import { TEST_SOURCE } from "./harness/facts.ts";
import { connectTo, startNats } from "./harness/nats.ts";

describe("the writer refuses a fact that breaks its contract, naming the field", async () => {
  const server = await startNats();
  const nc = await connectTo(server);
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 60_000 });
  const jsm = await jetstreamManager(nc);

  const cases: [string, FactDraft, string][] = [
    ["wrong type", { caseId: "c1", kind: "credit.applied", data: { accountId: "a1", amount: { amountMinor: "12", currency: "EUR" }, reason: "x", ledgerRef: "l", idempotencyKey: "k" } } as never, "data.amount.amountMinor"],
    ["bad currency", { caseId: "c1", kind: "credit.applied", data: { accountId: "a1", amount: { amountMinor: 12, currency: "euro" }, reason: "x", ledgerRef: "l", idempotencyKey: "k" } }, "data.amount.currency"],
    ["missing field", { caseId: "c1", kind: "case.opened", data: { customerId: "u1", channel: "chat" } } as never, "data.tier"],
    ["unknown field", { caseId: "c1", kind: "case.resolved", data: { resolution: "ok", by: "me", extra: 1 } } as never, "data.extra"],
    ["unknown channel", { caseId: "c1", kind: "case.opened", data: { customerId: "u1", channel: "fax", tier: "standard" } } as never, "data.channel"],
    ["case id unsafe for a subject", { caseId: "c1.>", kind: "case.resolved", data: { resolution: "ok", by: "me" } }, "caseId"],
    ["unknown kind", { caseId: "c1", kind: "case.teleported", data: {} } as never, "kind"],
    ["text too long", { caseId: "c1", kind: "reply.drafted", data: { channel: "chat", text: "x".repeat(16_001), replyTo: null } }, "data.text"],
  ];
  for (const [name, draft, field] of cases) {
    test(name, async () => {
      await assert.rejects(writer.append(draft), (err: unknown) => {
        assert.ok(err instanceof ContractViolationError, `expected ContractViolationError, got ${String(err)}`);
        assert.equal(err.issues[0]?.path, field);
        assert.match(err.message, new RegExp(field.replace(/\./g, "\\.")));
        return true;
      });
    });
  }

  test("nothing reached the log", async () => {
    const info = await jsm.streams.info("CASEMESH_FACTS");
    assert.equal(info.state.messages, 0);
  });
});
