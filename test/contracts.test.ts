import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { FACT_KIND_NAMES, checkFact, type FactDraft } from "../blackboard/index.ts";
import { CONTRACTS_DIR, renderContractFiles } from "../blackboard/export-contracts.ts";
import { FactWriter } from "../blackboard/writer.ts";
import { ContractViolationError } from "../core/errors.ts";
import { TEST_SOURCE } from "./harness/facts.ts";
import { connectTo, startNats } from "./harness/nats.ts";

const REQUIRED_KINDS = [
  "case.opened", "message.received", "customer.linked", "need.opened", "need.claimed", "need.done", "need.failed",
  "intent.classified", "identity.verified", "account.loaded", "credit.applied", "escalation.requested",
  "reply.drafted", "reply.delivered", "timer.set", "timer.fired", "case.resolved",
];

describe("fact contracts", () => {
  test("the registry has every kind of the customer journey", () => {
    for (const kind of REQUIRED_KINDS) assert.ok(FACT_KIND_NAMES.includes(kind as never), `missing ${kind}`);
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
