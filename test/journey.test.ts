/**
 * The omnichannel journey end to end, as separate processes: `npm start`
 * (bin/start.ts: blackboard, gateway and every reference peer, each its own
 * process) on a nats-server of this test, driven through real gRPC, with the
 * mesh's shared clock moved to "the next day".
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { ClientReadableStream } from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import { BlackboardClient, FactWriter, type StoredFact } from "../blackboard/index.ts";
import { DevCredentialsFile } from "../bin/dev-credentials.ts";
import { RUNNING_MESH_FILE, readRunningMesh, type RunningMesh } from "../bin/running-mesh.ts";
import { connectNats } from "../core/nats-connect.ts";
import type { NatsServerProcess } from "../core/nats-server.ts";
import { readSharedClockOffset } from "../blackboard/shared-clock.ts";
import type { DeskEvent__Output } from "../gateway/generated/casemesh/v1/DeskEvent.ts";
import { auth, call, channelClient, collect, deskClient } from "./harness/gateway.ts";
import { startNats, tempDir } from "./harness/nats.ts";
import { TEST_SOURCE } from "./harness/facts.ts";
import { REPO_ROOT, spawnTs, type TestProcess } from "./harness/processes.ts";
import { eventually } from "./harness/wait.ts";

const HOUR_MS = 3_600_000;
type Data = Record<string, unknown>;

// Module level, not in a before() hook: cleanups registered inside a hook run when the hook ends.
const nats: NatsServerProcess = await startNats();
const nc: NatsConnection = await connectNats({ servers: nats.url, name: "journey-test" });
const blackboard = new BlackboardClient(nc);
const dataDir = await tempDir("casemesh-journey-");
const start: TestProcess = spawnTs("bin/start.ts", {
  ...process.env,
  NATS_URL: nats.url,
  CASEMESH_DATA_DIR: dataDir,
  CASEMESH_GATEWAY_ADDRESS: "127.0.0.1:0",
  CASEMESH_GATEWAY_METRICS_PORT: "0",
  CASEMESH_BLACKBOARD_METRICS_PORT: "0",
  LOG_LEVEL: "warn",
});
// Stopped before the nats-server (hooks run last registered first).
after(async () => {
  start.kill("SIGINT");
  await start.exited;
  await nc.close();
});
const mesh: RunningMesh = await eventually("npm start to be ready", () => readRunningMesh(dataDir), 90_000);
const devFile = DevCredentialsFile.parse(JSON.parse(await readFile(mesh.credentialsFile ?? "", "utf8")));
const secret = (id: string) => devFile.credentials.find((c) => c.id === id)?.credential ?? assert.fail(`no ${id} credential`);
const credentials = { chat: secret("dev-chat"), voice: secret("dev-voice"), email: secret("dev-email"), desk: secret("dev-desk") };
/** Ada's case, from the first demo run. */
let adaCase = "";

/** Runs `npm run demo` (bin/demo.ts) as a process against the data folder `dir`; resolves with its output and exit code. */
async function demo(dir: string): Promise<{ code: number | string; lines: string[]; result: Data | undefined }> {
  const run = spawnTs("bin/demo.ts", { ...process.env, CASEMESH_DATA_DIR: dir, LOG_LEVEL: "warn", NATS_URL: "" });
  const code = await run.exited;
  const last = run.lines.at(-1) ?? "";
  let result: Data | undefined;
  try {
    result = JSON.parse(last) as Data;
  } catch {
    result = undefined;
  }
  return { code, lines: run.lines, result };
}

const ofKind = (facts: StoredFact[], kind: string) => facts.filter((f) => f.fact.kind === kind);
const dataOf = (f: StoredFact | undefined) => (f?.fact.data ?? {}) as Data;

describe("the journey on a running mesh: chat, a call the next day, the follow-up e-mail", () => {
  test("npm run demo drives it through the gateway: one case, identity proved once with a code sent to Ada's e-mail, one credit, the call hears it, the follow-up fires once, no re-asks", async (t) => {
    const started = Date.now();
    const run = await demo(dataDir);
    t.diagnostic(`demo took ${Date.now() - started} ms`);
    assert.equal(run.code, 0, run.lines.slice(-30).join("\n"));
    assert.ok(run.lines.some((l) => l.startsWith("using the mesh npm start runs")), `it used the running mesh:\n${run.lines.slice(0, 5).join("\n")}`);
    const result = run.result ?? assert.fail(`the last line is not JSON: ${run.lines.at(-1)}`);
    assert.deepEqual(Object.keys(result), ["case", "channels", "handoffs", "reasks", "verified_by", "credit_applied", "followup_fired"]);
    assert.equal(result["verified_by"], "otp");
    assert.deepEqual(result["channels"], ["chat", "email", "voice"], "chat, the code by e-mail, the call (the follow-up e-mail after)");
    assert.equal(result["reasks"], 0);
    assert.equal(result["credit_applied"], true);
    assert.equal(result["followup_fired"], true);
    const caseId = String(result["case"]);
    adaCase = caseId;

    // What the customer went through, read from the blackboard.
    const { facts } = await blackboard.getCase({ caseId });
    const messages = ofKind(facts, "message.received");
    assert.deepEqual(messages.map((m) => dataOf(m)["channel"]), ["chat", "chat", "voice"]);
    assert.match(String(dataOf(messages[1])["text"]), /^•{6}$/, "the code Ada typed is in the log as dots");
    const [chatAt, , callAt] = messages.map((m) => Date.parse(m.fact.at));
    assert.ok((callAt ?? 0) - (chatAt ?? 0) >= 20 * HOUR_MS - 60_000, "the call came the next day by the mesh clock");

    assert.deepEqual(ofKind(facts, "identity.verified").map(dataOf), [{ customerId: "cu-acct-acc-1001", method: "otp", accountId: "acc-1001" }], "proved once, with the code");
    const verifiedSeq = ofKind(facts, "identity.verified")[0]?.seq ?? Infinity;
    assert.ok((ofKind(facts, "account.loaded")[0]?.seq ?? 0) > verifiedSeq, "nothing of the account before that");
    const callSeq = messages[2]?.seq ?? 0;
    const openedAfterCall = ofKind(facts, "need.opened").filter((f) => f.seq > callSeq).map((f) => dataOf(f)["capability"]);
    assert.ok(!openedAfterCall.includes("identity.verify"), `the call opened no identity step: ${openedAfterCall.join(", ")}`);
    assert.ok(!openedAfterCall.includes("billing.dispute"), "nor a second dispute");
    const credits = ofKind(facts, "credit.applied");
    assert.equal(credits.length, 1);
    assert.deepEqual(dataOf(credits[0])["amount"], { amountMinor: 4999, currency: "EUR" });

    const drafted = ofKind(facts, "reply.drafted").map(dataOf);
    const sealed = drafted.filter((r) => String(r["text"]).startsWith("[sealed:"));
    assert.deepEqual(sealed.map((r) => r["channel"]), ["email"], "one code, sealed: the log holds a reference, not the code");
    const replies = drafted.filter((r) => !sealed.includes(r));
    assert.deepEqual(replies.map((r) => r["channel"]), ["chat", "chat", "voice", "email"]);
    assert.match(String(replies[0]?.["text"]), /code to the e-mail address registered on it/);
    assert.doesNotMatch(String(replies[0]?.["text"]), /Ada|€/, "nothing about the account before the code");
    assert.match(String(replies[1]?.["text"]), /^Hi Ada, .*€49\.99/);
    assert.match(String(replies[2]?.["text"]), /forty-nine euros and ninety-nine cents/, "the caller hears the credit");
    assert.doesNotMatch(String(replies[2]?.["text"]), /account number|verify|confirm your|code/i, "and is not asked to identify");
    assert.match(String(replies[3]?.["text"]), /following up on the €49\.99 credit/);
    assert.equal(ofKind(facts, "reply.delivered").length, 2, "the e-mail sender confirmed the code and the follow-up, once each");
    const code = run.lines.find((l) => /verification code is \d{6}/.test(l))?.match(/code is (\d{6})/)?.[1] ?? assert.fail("the demo printed no code e-mail");
    assert.ok(!JSON.stringify(facts).includes(code), "the code is in no fact");

    // The follow-up fired once, proven by its fact, and stays fired: more ticks, and the clock further on, fire nothing.
    assert.equal(ofKind(facts, "timer.fired").length, 1);
    const fired = ofKind(facts, "timer.fired")[0]!;
    const set = ofKind(facts, "timer.set")[0]!;
    assert.ok(Date.parse(fired.fact.at) >= Date.parse(String(dataOf(set)["dueAt"])), "it fired when due by the mesh clock, not before");
    const offset = await readSharedClockOffset(nc);
    assert.equal(offset, 25 * HOUR_MS, "the demo moved the mesh clock 20 h, then 5 h");
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(ofKind((await blackboard.getCase({ caseId })).facts, "timer.fired").length, 1);

    // Every handoff is in the printed timeline with its bids, named by the step that made it.
    const handoffLines = run.lines.filter((l) => / → /.test(l) && /attempt \d+:/.test(l));
    assert.equal(handoffLines.length, result["handoffs"]);
    assert.ok(handoffLines.some((l) => /intent → identity\.verify, attempt 1: identity-1/.test(l)), handoffLines.join("\n"));
    assert.ok(handoffLines.some((l) => /billing\.dispute → reply, attempt 1: composer-1/.test(l)), handoffLines.join("\n"));
    assert.ok(run.lines.some((l) => /bid billing-1 v[\d.]+: utility/.test(l)));
  });

  test("run again on the same mesh, the demo says the credit was already applied (a charge is credited once) and exits 1", async () => {
    assert.notEqual(adaCase, "", "the journey ran first");
    const before = (await blackboard.getCase({ caseId: adaCase })).facts;
    const run = await demo(dataDir);
    assert.equal(run.code, 1);
    assert.ok(run.lines.some((l) => /already ran the journey/.test(l) && l.includes(adaCase) && /--private/.test(l)), run.lines.slice(-5).join("\n"));
    const now = (await blackboard.getCase({ caseId: adaCase })).facts;
    assert.equal(ofKind(now, "message.received").length, ofKind(before, "message.received").length, "it sent nothing");
    assert.equal(ofKind(now, "credit.applied").length, 1);
  });

  test("a credit above the threshold goes to a person on the agent desk, who sees the summary and resolves; the customer is told on the channel they are on", async () => {
    const chat = channelClient(mesh.gateway);
    const desk = deskClient(mesh.gateway);
    const stream: ClientReadableStream<DeskEvent__Output> = desk.signIn({ agent_id: "maya", display_name: "Maya", skills: ["human.billing"], capacity: 1 }, auth(credentials.desk));
    const events = collect(stream);
    after(() => stream.cancel());
    await eventually("maya signed in", async () => (events.items.some((e) => e.kind === "signed_in") ? true : undefined));

    const sent = await call(chat, "Send", { channel: "CHAT", address: "chat-grace", text: "We were charged twice for the October invoice", client_message_id: "grace-1" }, credentials.chat);
    // Grace's chat id is registered on her account: a claim. She proves it with the code sent to the account's e-mail.
    const outbox = chat.Outbox({ channel: "EMAIL", after_seq: sent.seq }, auth(credentials.email));
    const mails = collect(outbox);
    after(() => outbox.cancel());
    const mail = await eventually("Grace's code e-mail", async () => mails.items.find((e) => e.case_id === sent.case_id && /code is \d{6}/.test(e.text)), 60_000);
    assert.deepEqual(mail.addresses, ["billing@hopper.example"]);
    await call(chat, "Send", { channel: "CHAT", address: "chat-grace", text: /code is (\d{6})/.exec(mail.text)?.[1] ?? "", client_message_id: "grace-2" }, credentials.chat);
    const offer = await eventually("an offer to maya", async () => events.items.find((e) => e.offer?.case_id === sent.case_id)?.offer ?? undefined, 60_000);
    assert.equal(offer.capability, "human.billing");
    assert.match(offer.summary, /249/, offer.summary);
    assert.match(offer.summary, /charged twice for the October invoice/);
    assert.equal(offer.timeline?.current_channel, "CHAT");
    let facts = (await blackboard.getCase({ caseId: sent.case_id })).facts;
    assert.equal(ofKind(facts, "credit.applied").length, 0, "no credit above the threshold without a person");

    assert.equal((await call(desk, "Accept", { agent_id: "maya", offer_id: offer.offer_id }, credentials.desk)).ok, true);
    const told = "I have refunded the duplicate October charge of €249.00.";
    const reply = await call(desk, "Reply", { agent_id: "maya", offer_id: offer.offer_id, text: told }, credentials.desk);
    assert.equal(reply.channel, "CHAT");
    await call(desk, "Resolve", { agent_id: "maya", offer_id: offer.offer_id, resolution: "Refunded the duplicate October charge" }, credentials.desk);

    facts = await eventually("the case resolved and the need done", async () => {
      const fs = (await blackboard.getCase({ caseId: sent.case_id })).facts;
      return ofKind(fs, "case.resolved").length === 1 && ofKind(fs, "need.done").some((f) => dataOf(f)["peer"] === "desk-1") ? fs : undefined;
    }, 20_000);
    const drafted = ofKind(facts, "reply.drafted").map(dataOf);
    assert.deepEqual(drafted.at(-1), { ...drafted.at(-1), channel: "chat", text: told }, "the customer is told in chat, where they are");
    assert.equal(dataOf(ofKind(facts, "case.resolved")[0])["by"], "maya");
  });
});

describe("npm run demo with no mesh running", () => {
  test("it starts a private mesh, runs the journey, prints the same last line, and removes the mesh afterwards", async (t) => {
    const empty = await tempDir("casemesh-demo-nomesh-");
    const started = Date.now();
    const run = await demo(empty);
    t.diagnostic(`demo with its own mesh took ${Date.now() - started} ms`);
    assert.equal(run.code, 0, run.lines.slice(-30).join("\n"));
    assert.ok(run.lines.some((l) => l.startsWith("starting a private mesh")));
    assert.equal(run.result?.["credit_applied"], true);
    assert.equal(run.result?.["followup_fired"], true);
    assert.equal(run.result?.["reasks"], 0);
    assert.equal(run.result?.["verified_by"], "otp");
    assert.deepEqual(run.result?.["channels"], ["chat", "email", "voice"]);
    assert.ok(!existsSync(join(empty, RUNNING_MESH_FILE)), "nothing is left running");
    const privateDirs = run.lines.filter((l) => l.startsWith("private mesh ready"));
    assert.equal(privateDirs.length, 1);
  });
});

/** The first ```ts block after `marker` in README.md. */
async function readmeBlock(marker: string): Promise<string> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, `README.md has no ${marker}`);
  const open = readme.indexOf("```ts\n", at);
  const close = readme.indexOf("\n```", open + 6);
  assert.ok(open >= 0 && close > open, `no ts block after ${marker}`);
  return readme.slice(open + 6, close + 1);
}

/** Saves a README block at the top of the repository, as the README says to; removed after the suite. */
async function saveAtRepoRoot(code: string, name: string): Promise<string> {
  const file = `.readme-${process.pid}-${name}`;
  await writeFile(join(REPO_ROOT, file), code);
  after(() => rm(join(REPO_ROOT, file), { force: true }));
  return file;
}

describe("README.md is true against npm start", () => {
  test("send.ts, saved and run as the Quickstart says, sends a message and prints the mesh's reply", async () => {
    const file = await saveAtRepoRoot(await readmeBlock("save this as `send.ts`"), "send.ts");
    const run = spawnTs(file, { ...process.env, CASEMESH_DATA_DIR: dataDir, NATS_URL: "" });
    assert.equal(await run.exited, 0, run.lines.join("\n"));
    const caseLine = run.lines.find((l) => l.startsWith("on case ")) ?? assert.fail(run.lines.join("\n"));
    const reply = run.lines.find((l) => l.startsWith("reply: ")) ?? assert.fail(`no reply printed:\n${run.lines.join("\n")}`);
    const caseId = caseLine.slice("on case ".length);
    const { facts } = await blackboard.getCase({ caseId });
    assert.equal(ofKind(facts, "message.received").length, 1);
    assert.equal(dataOf(ofKind(facts, "reply.drafted")[0])["text"], reply.slice("reply: ".length));
    assert.match(reply, /account number/, "a visitor nobody knows is asked who they are, as the README says");
  });

  test("my-peer.ts from \"Write your own peer\" joins the running mesh, wins its need, replies, and hands off to the follow-up peer", async () => {
    const file = await saveAtRepoRoot(await readmeBlock("`my-peer.ts` at the top of the repository"), "my-peer.ts");
    const peer = spawnTs(file, { ...process.env, NATS_URL: mesh.nats, LOG_LEVEL: "info" });
    await peer.waitForLog((l) => l["msg"] === "peers ready", 30_000);
    const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 120_000 });
    const caseId = "readme-peer-case";
    await writer.append({ caseId, kind: "case.opened", data: { customerId: "cust-readme", channel: "chat", tier: "standard" } });
    const opened = await writer.append({ caseId, kind: "need.opened", data: { needId: `${caseId}.ack`, capability: "reply.ack", input: { topic: "your invoice" }, requires: [], attempt: 1, fallback: null } });
    const facts = await eventually("the ack and the follow-up timer", async () => {
      // Read your write: the case exists once the replica has applied the need.
      const fs = (await blackboard.getCase({ caseId, minSeq: opened.seq })).facts;
      return ofKind(fs, "timer.set").length === 1 ? fs : undefined;
    }, 30_000);
    const claimed = ofKind(facts, "need.claimed").find((f) => dataOf(f)["capability"] === "reply.ack");
    assert.equal(dataOf(claimed)["peer"], "acknowledge-1");
    const drafted = ofKind(facts, "reply.drafted")[0];
    assert.equal(drafted?.fact.source.peer, "acknowledge-1");
    assert.equal(dataOf(drafted)["text"], "We have your message about your invoice.");
    assert.equal(dataOf(ofKind(facts, "timer.set")[0])["purpose"], "check in a day later");
    peer.kill("SIGTERM");
    assert.equal(await peer.exited, 0, "Ctrl-C or SIGTERM: it drains and exits 0");
  });
});
