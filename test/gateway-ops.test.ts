import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import {
  credentials as grpcCredentials,
  loadPackageDefinition,
  status,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ServiceError,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import protobuf from "protobufjs";
import { BlackboardClient } from "../blackboard/index.ts";
import { TOKENS, auth, call, callFails, channelClient } from "./harness/gateway.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";
import { connectTo, startNats, tempDir } from "./harness/nats.ts";
import { spawnGateway, type GatewayProcess } from "./harness/processes.ts";
import { startReplica } from "./harness/replica.ts";
import { eventually } from "./harness/wait.ts";

/**
 * The gateway's operational surface, on gateway processes: grpc.health.v1
 * and reflection, TLS and mutual TLS from configuration, /metrics, what its
 * logs leave out, and SIGTERM.
 */

const server = await startNats();
const nc = await connectTo(server);
const replicaDir = await tempDir("casemesh-bb-");
let replica = await startReplica(nc, { dir: replicaDir, replicaId: "ops-replica" });
const blackboard = new BlackboardClient(nc);
const [main, doomed] = await Promise.all([
  spawnGateway({ natsUrl: server.url, gatewayId: "gw-ops", env: { LOG_LEVEL: "debug" } }),
  spawnGateway({ natsUrl: server.url, gatewayId: "gw-doomed" }),
]);

// ---- grpc.health.v1 and reflection clients, from the protos their packages ship

type Status = "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";
interface HealthClient extends Client {
  check(req: { service: string }, options: CallOptions, cb: (err: ServiceError | null, res?: { status: Status }) => void): void;
  watch(req: { service: string }): ClientReadableStream<{ status: Status }>;
}
type ReflectionRequest = { list_services: string } | { file_containing_symbol: string };
interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] } | null;
  file_descriptor_response?: { file_descriptor_proto: Buffer[] } | null;
  error_response?: { error_code: number; error_message: string } | null;
}
interface ReflectionClient extends Client {
  ServerReflectionInfo(): ClientDuplexStream<ReflectionRequest, ReflectionResponse>;
}

const PROTO_OPTIONS = { keepCase: true, enums: String, longs: String, defaults: true, oneofs: true };
const healthApi = loadPackageDefinition(loadSync(healthProtoPath, PROTO_OPTIONS)) as unknown as {
  grpc: { health: { v1: { Health: new (address: string, creds: ChannelCredentials) => HealthClient } } };
};
const reflectionProto = join(dirname(createRequire(import.meta.url).resolve("@grpc/reflection/package.json")), "build/proto/grpc/reflection/v1/reflection.proto");
const reflectionApi = loadPackageDefinition(loadSync(reflectionProto, PROTO_OPTIONS)) as unknown as {
  grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: ChannelCredentials) => ReflectionClient } } };
};

function healthClient(address: string): HealthClient {
  return new healthApi.grpc.health.v1.Health(address, grpcCredentials.createInsecure());
}

function check(client: HealthClient, service = ""): Promise<Status> {
  return new Promise((resolve, reject) => {
    client.check({ service }, { deadline: Date.now() + 3_000 }, (err, res) => (err !== null ? reject(err) : resolve(res?.status ?? "UNKNOWN")));
  });
}

/** A Watch on the whole server, with every status it reports and when. */
function watchHealth(client: HealthClient) {
  const seen: { status: Status; at: number }[] = [];
  const stream = client.watch({ service: "" });
  stream.on("data", (m: { status: Status }) => seen.push({ status: m.status, at: performance.now() }));
  const ended = new Promise<ServiceError | null>((resolve) => {
    stream.on("error", (err: ServiceError) => resolve(err));
    stream.on("end", () => resolve(null));
  });
  /** Resolves with the time `status` is reported after `since`. */
  const reported = (wanted: Status, since: number, timeoutMs = 10_000) =>
    eventually(`health ${wanted}`, async () => seen.find((s) => s.status === wanted && s.at >= since)?.at, timeoutMs, 20);
  return { seen, stream, ended, reported };
}

/** Asks one reflection question on a fresh stream. */
function reflect(address: string, request: ReflectionRequest): Promise<ReflectionResponse> {
  const client = new reflectionApi.grpc.reflection.v1.ServerReflection(address, grpcCredentials.createInsecure());
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on("data", (res: ReflectionResponse) => {
      resolve(res);
      stream.end();
      client.close();
    });
    stream.on("error", (err: unknown) => {
      reject(err);
      client.close();
    });
    stream.write(request);
  });
}

/** Enough of descriptor.proto to read what reflection serves. */
const FileDescriptorProto = protobuf
  .parse(
    `syntax = "proto2";
     message FileDescriptorProto { optional string name = 1; optional string package = 2; repeated ServiceDescriptorProto service = 6; }
     message ServiceDescriptorProto { optional string name = 1; repeated MethodDescriptorProto method = 2; }
     message MethodDescriptorProto { optional string name = 1; }`,
  )
  .root.lookupType("FileDescriptorProto");

// ---- /metrics

const metricsOf = async (gateway: GatewayProcess) => (await fetch(gateway.metricsUrl)).text();

test("/metrics counts calls by method, channel and code, times them, gauges open streams, and passes promtool; logs hold no credential or text", async () => {
  const client = channelClient(main.address);
  const secretText = "please keep this between us: aubergine lantern";
  const wrongToken = "wrong-credential-aubergine-7f3a";
  const ok = await call(client, "send", { channel: "CHAT", address: "metered", text: secretText, client_message_id: "met-1" }, TOKENS.chat);
  const invalid = await callFails(client, "send", { channel: "CHAT", address: "metered", text: `${secretText}\u0007`, client_message_id: "met-2" }, TOKENS.chat);
  assert.equal(invalid.code, status.INVALID_ARGUMENT);
  assert.match(invalid.details, /text/);
  const unauthenticated = await callFails(client, "send", { channel: "CHAT", address: "metered", text: secretText, client_message_id: "met-3" }, wrongToken);
  assert.equal(unauthenticated.code, status.UNAUTHENTICATED);
  const watch = client.watchCase({ case_id: ok.case_id, after_seq: "0", channel: "CHAT", address: "metered" }, auth(TOKENS.chat));
  watch.on("error", () => undefined);
  watch.on("data", () => undefined);

  const body = await eventually("the open watch on the gauge", async () => {
    const b = await metricsOf(main);
    return sample(b, "casemesh_gateway_open_streams", { method: "WatchCase" }) === 1 ? b : undefined;
  });
  assert.equal(sample(body, "casemesh_gateway_requests_total", { method: "Send", channel: "chat", code: "OK" }), 1);
  assert.equal(sample(body, "casemesh_gateway_requests_total", { method: "Send", code: "INVALID_ARGUMENT" }), 1);
  assert.equal(sample(body, "casemesh_gateway_requests_total", { method: "Send", channel: "none", code: "UNAUTHENTICATED" }), 1, "a caller never authenticated has no channel yet");
  assert.equal(sample(body, "casemesh_gateway_request_duration_seconds_count", { method: "Send" }), 3);
  assert.equal(sample(body, "casemesh_gateway_request_duration_seconds_bucket", { method: "Send", le: "+Inf" }), 3);
  assert.match(body, /^# TYPE casemesh_gateway_request_duration_seconds histogram$/m);
  assert.match(body, /^# TYPE casemesh_gateway_open_streams gauge$/m);
  assert.ok(/role="gateway"/.test(body), "every sample names the process role");
  assertPromtoolClean(body);

  // A watch the client closes is counted once, as CANCELLED, and leaves the gauge.
  watch.cancel();
  const after = await eventually("the closed watch counted", async () => {
    const b = await metricsOf(main);
    return sample(b, "casemesh_gateway_requests_total", { method: "WatchCase", code: "CANCELLED" }) === 1 ? b : undefined;
  });
  assert.equal(sample(after, "casemesh_gateway_open_streams", { method: "WatchCase" }), 0);

  // The refusals are logged (at debug), yet no line holds a credential or the customer's words.
  await main.waitForLog((l) => l["msg"] === "request refused" && l["code"] === "UNAUTHENTICATED", 5_000);
  await main.waitForLog((l) => l["msg"] === "request refused" && l["code"] === "INVALID_ARGUMENT", 5_000);
  const log = main.lines.join("\n");
  for (const secret of [TOKENS.chat, wrongToken, secretText, "aubergine"]) {
    assert.ok(!log.includes(secret), `the gateway's log holds ${JSON.stringify(secret)}`);
  }
});

test("TLS and mutual TLS from configuration: only clients that trust the CA, and (mTLS) present a certificate it signed, get through", async () => {
  const openssl = spawnSync("openssl", ["version"], { encoding: "utf8" });
  assert.equal(openssl.error, undefined, "openssl is not installed: this test makes its throwaway CA and certificates with it (apt-get install openssl)");
  const dir = await tempDir("casemesh-tls-");
  const certs = makeCertificates(dir);
  const [tls, mtls] = await Promise.all([
    spawnGateway({ natsUrl: server.url, gatewayId: "gw-tls", env: { CASEMESH_GATEWAY_TLS_CERT_FILE: certs.serverCert, CASEMESH_GATEWAY_TLS_KEY_FILE: certs.serverKey } }),
    spawnGateway({
      natsUrl: server.url,
      gatewayId: "gw-mtls",
      env: { CASEMESH_GATEWAY_TLS_CERT_FILE: certs.serverCert, CASEMESH_GATEWAY_TLS_KEY_FILE: certs.serverKey, CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE: certs.caCert },
    }),
  ]);
  const ca = await readFile(certs.caCert);
  const withClientCert = grpcCredentials.createSsl(ca, await readFile(certs.clientKey), await readFile(certs.clientCert));
  const withStrangerCert = grpcCredentials.createSsl(ca, await readFile(certs.strangerKey), await readFile(certs.strangerCert));
  // By name, as a client would dial it: the server certificate is for localhost and 127.0.0.1.
  const send = (address: string, creds: ChannelCredentials, id: string) =>
    call(channelClient(address.replace("127.0.0.1:", "localhost:"), creds), "send", { channel: "CHAT", address: "tls-user", text: "over TLS", client_message_id: id }, TOKENS.chat, { deadline: Date.now() + 5_000 });
  const fails = async (address: string, creds: ChannelCredentials, what: string) => {
    const err = await send(address, creds, `tls-refused-${what}`).then(
      () => assert.fail(`${what}: the call succeeded`),
      (e: ServiceError) => e,
    );
    assert.equal(err.code, status.UNAVAILABLE, `${what}: ${err.code} ${err.details}`);
  };

  assert.equal((await send(tls.address, grpcCredentials.createSsl(ca), "tls-1")).accepted, true, "a client that trusts the CA gets through");
  await fails(tls.address, grpcCredentials.createInsecure(), "plaintext to a TLS gateway");
  await fails(tls.address, grpcCredentials.createSsl(), "a client that does not trust the CA");

  assert.equal((await send(mtls.address, withClientCert, "mtls-1")).accepted, true, "a client certificate the CA signed gets through");
  await fails(mtls.address, grpcCredentials.createSsl(ca), "no client certificate");
  await fails(mtls.address, withStrangerCert, "a client certificate another CA signed");
  await fails(mtls.address, grpcCredentials.createInsecure(), "plaintext to an mTLS gateway");

  const listening = await mtls.waitForLog((l) => l["msg"] === "gateway listening");
  assert.equal(listening["tls"], true);
  assert.equal(listening["mtls"], true);
});

test("SIGTERM: health turns NOT_SERVING first, Sends in flight are answered, and the gateway exits 0", async (t) => {
  const health = healthClient(doomed.address);
  const watch = watchHealth(health);
  await watch.reported("SERVING", 0);
  const client = channelClient(doomed.address);
  const outcomes: { id: string; code: status; startedAt: number; endedAt: number }[] = [];
  let next = 0;
  let signalled = false;
  const worker = async () => {
    for (;;) {
      const id = `term-${next++}`;
      const startedAt = performance.now();
      try {
        await call(client, "send", { channel: "CHAT", address: "sigterm-user", text: `in flight ${id}`, client_message_id: id }, TOKENS.chat, { deadline: Date.now() + 8_000 });
        outcomes.push({ id, code: status.OK, startedAt, endedAt: performance.now() });
      } catch (err) {
        outcomes.push({ id, code: (err as ServiceError).code, startedAt, endedAt: performance.now() });
        if (signalled) return;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: 4 }, () => worker());
  await eventually("a few Sends answered", async () => (outcomes.length >= 12 ? true : undefined));
  const termAt = performance.now();
  signalled = true;
  doomed.kill("SIGTERM");
  const notServingAt = await watch.reported("NOT_SERVING", termAt);
  const watchEnd = await watch.ended;
  const watchEndedAt = performance.now();
  health.close();
  const code = await doomed.exited;
  const exitMs = performance.now() - termAt;
  await Promise.all(workers);

  assert.equal(watchEnd?.code, status.UNAVAILABLE, "a health Watch ends, after NOT_SERVING, so the client looks elsewhere");
  assert.ok(notServingAt <= watchEndedAt);
  assert.equal(code, 0, `exit: ${code}\n${doomed.lines.slice(-5).join("\n")}`);
  assert.ok(exitMs < 4_000, `the gateway took ${exitMs.toFixed(0)} ms to exit with a health Watch and Sends open (the grace is 5 s)`);
  const stopped = await doomed.waitForLog((l) => l["msg"] === "gateway stopped", 1_000);
  assert.ok(stopped !== undefined);
  // Each Send was either answered OK and written, or refused as UNAVAILABLE and not written: none is cut mid-way.
  const answered = outcomes.filter((o) => o.code === status.OK);
  const refused = outcomes.filter((o) => o.code !== status.OK);
  for (const o of refused) assert.equal(o.code, status.UNAVAILABLE, `${o.id} ended with ${o.code}`);
  const caseId = await eventually("the customer's case", async () => {
    const found = await blackboard.findCustomerByAddress({ channel: "chat", address: "sigterm-user" }).catch(() => undefined);
    return found?.customer?.cases[0]?.caseId;
  });
  const lastOk = answered.length;
  const written = await eventually("the answered Sends on the blackboard", async () => {
    const { facts } = await blackboard.getCase({ caseId });
    const ids = new Set(facts.filter((f) => f.fact.kind === "message.received").map((f) => (f.fact.data as { clientMessageId: string }).clientMessageId));
    return ids.size >= lastOk ? ids : undefined;
  });
  for (const o of answered) assert.ok(written.has(o.id), `${o.id} was answered OK but is not on the case`);
  for (const o of refused) assert.ok(!written.has(o.id), `${o.id} was refused but was written`);
  const inFlight = answered.filter((o) => o.startedAt < termAt && o.endedAt > termAt).length;
  t.diagnostic(
    `sigterm: NOT_SERVING ${(notServingAt - termAt).toFixed(0)} ms after the signal, Watch ended ${(watchEndedAt - termAt).toFixed(0)} ms, exit 0 after ${exitMs.toFixed(0)} ms; ` +
      `${answered.length} Sends OK (${inFlight} in flight at the signal), ${refused.length} refused UNAVAILABLE`,
  );
});

test("health is SERVING only while NATS and the blackboard answer; reflection lists the services", async (t) => {
  const health = healthClient(main.address);
  const watch = watchHealth(health);
  try {
    await watch.reported("SERVING", 0);
    assert.equal(await check(health), "SERVING");
    assert.equal(await check(health, "casemesh.v1.ChannelService"), "SERVING");
    assert.equal(await check(health, "casemesh.v1.AgentDeskService"), "SERVING");
    const unknown = await check(health, "no.such.Service").then(
      () => assert.fail("an unknown service has no health"),
      (e: ServiceError) => e,
    );
    assert.equal(unknown.code, status.NOT_FOUND);

    const timings: Record<string, number> = {};
    let since = performance.now();
    await replica.stop();
    timings["blackboard stopped → NOT_SERVING"] = (await watch.reported("NOT_SERVING", since)) - since;
    assert.equal(await check(health), "NOT_SERVING");
    assert.equal(await check(health, "casemesh.v1.ChannelService"), "NOT_SERVING");

    since = performance.now();
    replica = await startReplica(nc, { dir: replicaDir, replicaId: "ops-replica" });
    timings["blackboard back → SERVING"] = (await watch.reported("SERVING", since)) - since;
    assert.equal(await check(health), "SERVING");

    since = performance.now();
    await server.stop();
    timings["nats-server stopped → NOT_SERVING"] = (await watch.reported("NOT_SERVING", since)) - since;
    assert.equal(await check(health), "NOT_SERVING", "the gateway still answers health while NATS is away");

    since = performance.now();
    await server.restart();
    timings["nats-server back → SERVING"] = (await watch.reported("SERVING", since)) - since;
    assert.equal(await check(health), "SERVING");
    const client = channelClient(main.address);
    const after = await call(client, "send", { channel: "CHAT", address: "health-user", text: "back again", client_message_id: "h-1" }, TOKENS.chat);
    assert.equal(after.accepted, true, "SERVING again means Sends work again");
    for (const [what, ms] of Object.entries(timings)) assert.ok(ms < 5_000, `${what} took ${ms.toFixed(0)} ms`);
    t.diagnostic(`health: ${Object.entries(timings).map(([what, ms]) => `${what} ${ms.toFixed(0)} ms`).join("; ")}`);
  } finally {
    watch.stream.cancel();
    health.close();
  }

  const listed = await reflect(main.address, { list_services: "*" });
  const names = (listed.list_services_response?.service ?? []).map((s) => s.name).sort();
  for (const name of ["casemesh.v1.AgentDeskService", "casemesh.v1.ChannelService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]) {
    assert.ok(names.includes(name), `reflection lists ${name}: ${names.join(", ")}`);
  }
  const described = await reflect(main.address, { file_containing_symbol: "casemesh.v1.ChannelService" });
  const files = (described.file_descriptor_response?.file_descriptor_proto ?? []).map(
    (bytes) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes), { defaults: true }) as { name: string; package: string; service: { name: string; method: { name: string }[] }[] },
  );
  const channel = files.find((f) => f.service.some((s) => s.name === "ChannelService"));
  assert.ok(channel !== undefined, `a descriptor for ChannelService: ${files.map((f) => f.name).join(", ")}`);
  assert.equal(channel.package, "casemesh.v1");
  assert.deepEqual(channel.service.find((s) => s.name === "ChannelService")?.method.map((m) => m.name).sort(), ["ConfirmDelivery", "GetTimeline", "LinkAddress", "Outbox", "Send", "Session", "WatchCase"]);
  const missing = await reflect(main.address, { file_containing_symbol: "casemesh.v1.NoSuchService" });
  assert.equal(missing.error_response?.error_code, status.NOT_FOUND);
});

/** A throwaway CA, a server certificate for 127.0.0.1/localhost, a client certificate it signed, and one it did not. */
function makeCertificates(dir: string) {
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => {
    const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, `openssl ${args.join(" ")}:\n${r.stderr}`);
  };
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run("req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=casemesh test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  const leaf = (name: string, cn: string, extensions: string, signer: "ca" | "self") => {
    const ext = `${name}.ext`;
    writeFileSync(at(ext), extensions);
    run("req", ...key, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    if (signer === "ca") run("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", ext);
    else run("x509", "-req", "-in", `${name}.csr`, "-signkey", `${name}.key`, "-out", `${name}.crt`, "-days", "1", "-extfile", ext);
  };
  leaf("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", "ca");
  leaf("client", "chat-backend", "extendedKeyUsage=clientAuth\n", "ca");
  leaf("stranger", "chat-backend", "extendedKeyUsage=clientAuth\n", "self");
  return {
    caCert: at("ca.crt"),
    serverCert: at("server.crt"),
    serverKey: at("server.key"),
    clientCert: at("client.crt"),
    clientKey: at("client.key"),
    strangerCert: at("stranger.crt"),
    strangerKey: at("stranger.key"),
  };
}
