import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../core/errors.ts";
import { loadContextHierarchy } from "../../peers/cx/context/index.ts";
import { IDENTITY_FAILED_RULE, identityFailedRule } from "../../peers/cx/identity.ts";

test("the attempt limit is the one the organisation's rule states, and a rule that states none is a configuration error naming it", () => {
  const shipped = loadContextHierarchy();
  const withRule = (when: string) => ({
    ...shipped,
    organisation: { ...shipped.organisation, escalation: shipped.organisation.escalation.map((e) => (e.id === IDENTITY_FAILED_RULE ? { ...e, when } : e)) },
  });
  assert.deepEqual(identityFailedRule(shipped), { attempts: 2, capability: "human.identity", priority: "normal" });
  assert.equal(identityFailedRule(withRule("Identity cannot be verified after three failed attempts.")).attempts, 3);
  assert.throws(() => identityFailedRule(withRule("Identity cannot be verified.")), (err: unknown) => err instanceof ConfigError && /identity-failed.*after <n> attempts/.test(err.message));
  const without = { ...shipped, organisation: { ...shipped.organisation, escalation: shipped.organisation.escalation.filter((e) => e.id !== IDENTITY_FAILED_RULE) } };
  assert.throws(() => identityFailedRule(without), (err: unknown) => err instanceof ConfigError && /"identity-failed" is missing/.test(err.message));
});
