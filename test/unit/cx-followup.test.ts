import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clockFromEnv, systemMeshClock } from "../../core/clock.ts";
import { ConfigError } from "../../core/errors.ts";
import { loadFollowupConfig } from "../../peers/cx/followup-process.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("follow-up configuration", () => {
  test("CASEMESH_CLOCK_OFFSET_MS shifts the scheduling clock, and a bad value is refused naming the variable", () => {
    const day = clockFromEnv({ CASEMESH_CLOCK_OFFSET_MS: String(DAY_MS) });
    assert.ok(Math.abs(day.now() - (Date.now() + DAY_MS)) < 1_000);
    assert.ok(Math.abs(clockFromEnv({ CASEMESH_CLOCK_OFFSET_MS: "-60000" }).now() - (Date.now() - 60_000)) < 1_000);
    assert.equal(clockFromEnv({}), systemMeshClock);
    assert.throws(() => clockFromEnv({ CASEMESH_CLOCK_OFFSET_MS: "1d" }), (err: Error) => err instanceof ConfigError && err.message.includes("CASEMESH_CLOCK_OFFSET_MS"));
    assert.throws(() => loadFollowupConfig({ CASEMESH_FOLLOWUP_TICK_MS: "5" }), /CASEMESH_FOLLOWUP_TICK_MS must be at least 10/);
    assert.deepEqual(
      { ...loadFollowupConfig({ CASEMESH_FOLLOWUP_PEER_ID: "followup-7", CASEMESH_FOLLOWUP_TICK_MS: "250" }), clock: undefined },
      { peerId: "followup-7", tickMs: 250, clock: undefined },
    );
  });
});
