import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { CORE_FACT_KINDS, FactRegistry, factRegistry } from "../../blackboard/index.ts";
import { ConflictError } from "../../core/index.ts";
import "../../peers/cx/facts.ts";

const Answered = z.strictObject({ score: z.number().int().min(1).max(5), comment: z.string().max(500) });

describe("the fact registry in one process", () => {
  test("a kind's version is registered once: the same contract again is a no-op, another one is refused, a new version is taken", () => {
    const registry = new FactRegistry();
    registry.register("acme", { "acme.rated": { v: 1, description: "rated", data: Answered } });
    registry.register("acme", { "acme.rated": { v: 1, description: "rated", data: Answered } });
    assert.throws(
      () => registry.register("other", { "acme.rated": { v: 1, description: "rated", data: z.strictObject({ score: z.string() }) } }),
      (err: unknown) => err instanceof ConflictError && /acme\.rated v1 is registered by acme .* register v2/.test(err.message),
    );
    registry.register("acme", { "acme.rated": { v: 2, description: "rated, with a reason", data: Answered.extend({ reason: z.string() }) } });
    assert.deepEqual(registry.contracts().map((c) => `${c.kind} v${c.v}`), ["acme.rated v1", "acme.rated v2"]);
    assert.equal(registry.contract("acme.rated")?.v, 2, "the latest version is what a writer writes");
  });

  test("a value of an unregistered kind is refused naming the kind, and the refusal says it is unknown rather than broken", () => {
    const check = new FactRegistry().inspect({ kind: "acme.rated", v: 1 });
    assert.equal(check.ok, false);
    assert.ok(!check.ok && check.unknown?.kind === "acme.rated" && check.unknown.v === 1);
    assert.ok(!check.ok && /unknown fact kind 'acme\.rated'/.test(check.issues[0]?.message ?? ""));
  });

  test("the blackboard registers the core kinds and no application kind; the CX application registers its own", () => {
    assert.equal(factRegistry.contract("need.claimed")?.owner, "blackboard");
    assert.equal(Object.hasOwn(CORE_FACT_KINDS, "credit.applied"), false);
    assert.equal(factRegistry.contract("credit.applied")?.owner, "cx", "registered by importing the CX application");
    assert.equal(factRegistry.contract("credit.applied")?.accountScoped, true);
  });
});

