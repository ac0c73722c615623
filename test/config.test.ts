import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, DEFAULT_BLACKBOARD_METRICS_PORT, loadConfig } from "../core/index.ts";

test("an empty environment gives the documented defaults", () => {
  const c = loadConfig({});
  assert.equal(c.natsUrl, undefined);
  assert.equal(c.localNatsPort, 4222);
  assert.equal(c.blackboard.metricsPort, DEFAULT_BLACKBOARD_METRICS_PORT);
  assert.equal(c.peers.leaseMs, 5_000);
  assert.equal(c.peers.heartbeatMs, 1_000);
  assert.equal(c.streamReplicas, 1);
  assert.match(c.blackboard.dir, /data\/blackboard$/);
});

test("a bad value is refused with the variable named", () => {
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{ NATS_URL: "http://example" }, /NATS_URL must be a comma-separated list/],
    [{ CASEMESH_LEASE_MS: "soon" }, /CASEMESH_LEASE_MS must be a number of milliseconds/],
    [{ CASEMESH_STREAM_REPLICAS: "2" }, /CASEMESH_STREAM_REPLICAS must be 1, 3 or 5/],
    [{ CASEMESH_HOST_ID: "a b" }, /CASEMESH_HOST_ID may hold letters/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message));
});

test("options that contradict each other are refused with both named", () => {
  assert.throws(() => loadConfig({ CASEMESH_LEASE_MS: "1000", CASEMESH_HEARTBEAT_MS: "600" }), /CASEMESH_LEASE_MS \(1000\) must be at least twice CASEMESH_HEARTBEAT_MS \(600\)/);
  assert.throws(() => loadConfig({ CASEMESH_BLACKBOARD_METRICS_PORT: "4222" }), /CASEMESH_BLACKBOARD_METRICS_PORT and CASEMESH_LOCAL_NATS_PORT are both 4222/);
});
