import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, DEFAULT_BLACKBOARD_METRICS_PORT, loadConfig } from "../../core/index.ts";
import { hashCredential, loadCredentials } from "../../gateway/credentials.ts";
import { newCredential } from "../../gateway/new-credential.ts";

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

test("the gateway listens on 127.0.0.1:50051 unless configured, and its options are checked", () => {
  const c = loadConfig({});
  assert.equal(c.gateway.address, "127.0.0.1:50051");
  assert.equal(c.gateway.credentials, undefined);
  assert.equal(c.gateway.tls, undefined);
  const set = loadConfig({
    CASEMESH_GATEWAY_ADDRESS: "0.0.0.0:6000",
    CASEMESH_GATEWAY_CREDENTIALS_FILE: "creds.json",
    CASEMESH_GATEWAY_TLS_CERT_FILE: "c.pem",
    CASEMESH_GATEWAY_TLS_KEY_FILE: "k.pem",
    CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE: "ca.pem",
    CASEMESH_GATEWAY_MAX_IN_FLIGHT: "10",
  });
  assert.equal(set.gateway.address, "0.0.0.0:6000");
  assert.match((set.gateway.credentials as { file: string }).file, /\/creds\.json$/);
  assert.match(set.gateway.tls?.clientCaFile ?? "", /\/ca\.pem$/);
  assert.equal(set.gateway.maxInFlight, 10);
  const refused: [NodeJS.ProcessEnv, RegExp][] = [
    [{ CASEMESH_GATEWAY_ADDRESS: "50051" }, /CASEMESH_GATEWAY_ADDRESS must be host:port/],
    [{ CASEMESH_GATEWAY_MAX_IN_FLIGHT: "0" }, /CASEMESH_GATEWAY_MAX_IN_FLIGHT must be at least 1/],
    [{ CASEMESH_GATEWAY_CREDENTIALS: "[]", CASEMESH_GATEWAY_CREDENTIALS_FILE: "x" }, /not both/],
    [{ CASEMESH_GATEWAY_TLS_CERT_FILE: "c.pem" }, /must be set together/],
    [{ CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE: "ca.pem" }, /mutual TLS/],
  ];
  for (const [env, message] of refused) assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message));
});

test("gateway credentials are hashes bound to channels; a bad list is refused without echoing secrets", () => {
  const { credential, entry } = newCredential("ivr", ["voice", "desk"]);
  assert.deepEqual({ ...entry, sha256: "" }, { id: "ivr", sha256: "", channels: ["voice"], desk: true, operator: false });
  assert.equal(entry.sha256, hashCredential(credential));
  assert.deepEqual(loadCredentials({ json: JSON.stringify([entry]) }), [entry]);
  // An operator credential needs no channel; an entry written before `operator` existed is not one.
  const operator = newCredential("ops", ["operator"]).entry;
  assert.deepEqual({ ...operator, sha256: "" }, { id: "ops", sha256: "", channels: [], desk: false, operator: true });
  const { operator: _, ...older } = entry;
  assert.equal(loadCredentials({ json: JSON.stringify([older]) })[0]?.operator, false);
  const refused: [string, RegExp][] = [
    ["not json", /is not JSON/],
    ["[]", /at least one credential/],
    [JSON.stringify([{ ...entry, sha256: credential }]), /at 0\.sha256: must be the lower-case hex SHA-256/],
    [JSON.stringify([{ ...entry, channels: ["fax"] }]), /at 0\.channels\.0/],
    [JSON.stringify([{ ...entry, channels: [], desk: false }]), /at least one channel, the desk, or operator use/],
    [JSON.stringify([entry, entry]), /lists credential id ivr twice/],
  ];
  for (const [json, message] of refused) {
    assert.throws(
      () => loadCredentials({ json }),
      (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes(credential),
    );
  }
  assert.throws(() => loadCredentials(undefined), /needs CASEMESH_GATEWAY_CREDENTIALS or CASEMESH_GATEWAY_CREDENTIALS_FILE/);
  assert.throws(() => loadCredentials({ file: "/nonexistent/creds.json" }), /cannot read \/nonexistent\/creds\.json/);
});
