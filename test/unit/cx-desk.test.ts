import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../core/errors.ts";
import { DEFAULT_ABSENCE_GRACE_MS } from "../../peers/cx/desk-absence.ts";
import { DEFAULT_DESK_CAPABILITIES, DEFAULT_RESERVATION_MS, loadDeskConfig } from "../../peers/cx/desk.ts";

test("the desk configuration is read from the environment, with named defaults, and a bad value is refused naming the variable", () => {
  assert.deepEqual(loadDeskConfig({}), {
    id: "desk-1",
    capabilities: [...DEFAULT_DESK_CAPABILITIES],
    reservationMs: DEFAULT_RESERVATION_MS,
    stepTimeoutMs: 8 * 3600_000,
    absenceGraceMs: DEFAULT_ABSENCE_GRACE_MS,
  });
  assert.equal(DEFAULT_ABSENCE_GRACE_MS, 30_000);
  assert.deepEqual(
    loadDeskConfig({
      PEER_ID: "desk-eu",
      CASEMESH_DESK_CAPABILITIES: "human.billing, human.legal",
      CASEMESH_DESK_RESERVATION_MS: "45000",
      CASEMESH_DESK_STEP_TIMEOUT_MS: "",
      CASEMESH_DESK_ABSENCE_GRACE_MS: "120000",
    }),
    { id: "desk-eu", capabilities: ["human.billing", "human.legal"], reservationMs: 45_000, stepTimeoutMs: 8 * 3600_000, absenceGraceMs: 120_000 },
  );
  assert.throws(() => loadDeskConfig({ CASEMESH_DESK_ABSENCE_GRACE_MS: "30s" }), (e: unknown) => e instanceof ConfigError && /CASEMESH_DESK_ABSENCE_GRACE_MS/.test(e.message));
  assert.throws(() => loadDeskConfig({ CASEMESH_DESK_ABSENCE_GRACE_MS: "5" }), (e: unknown) => e instanceof ConfigError && /CASEMESH_DESK_ABSENCE_GRACE_MS must be at least 100/.test(e.message));
  assert.throws(() => loadDeskConfig({ CASEMESH_DESK_RESERVATION_MS: "soon" }), (e: unknown) => e instanceof ConfigError && /CASEMESH_DESK_RESERVATION_MS/.test(e.message));
  assert.throws(() => loadDeskConfig({ CASEMESH_DESK_CAPABILITIES: "Human Billing" }), (e: unknown) => e instanceof ConfigError && /CASEMESH_DESK_CAPABILITIES/.test(e.message));
  assert.throws(() => loadDeskConfig({ PEER_ID: "desk one" }), (e: unknown) => e instanceof ConfigError && /PEER_ID/.test(e.message));
});
