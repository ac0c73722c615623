/**
 * `npm run demo`: the omnichannel journey, driven through the gateway's gRPC
 * API as channel back ends would drive it.
 *
 *  1. Ada writes in chat: "I was charged twice for my October bill". Her chat
 *     id is a contact registered on her account, which makes it a claim on
 *     the account, not proof: the mesh sends a one-time code to the e-mail
 *     address registered on the account. The demo takes that e-mail from the
 *     e-mail Outbox as an e-mail sender would, and Ada types the code in
 *     chat. Verified, the mesh loads her account, credits the duplicate
 *     charge and replies; a follow-up is set for 24 hours later.
 *  2. The mesh clock moves to the next day; Ada calls from her phone. The call
 *     lands on the same case and she hears the credit was applied, without
 *     identifying again.
 *  3. The clock moves past the follow-up's due time; the follow-up e-mail
 *     fires, and the demo takes it from the e-mail Outbox as an e-mail sender
 *     would, and confirms its delivery.
 *
 * It uses the mesh `npm start` runs (found through <data dir>/running-mesh.json)
 * when it answers, and otherwise starts a private one (its own nats-server and
 * a temporary folder, removed afterwards); `--private` always does. It prints
 * the case timeline with every handoff and its bids; its last line is one
 * JSON object. Exit 0 when the journey went as it should, 1 when it did not,
 * 2 for a bad configuration.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { ServiceError } from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectNats, isMain, loadConfig } from "../core/index.ts";
import { advanceSharedClock } from "../blackboard/index.ts";
import { auth, call, caseStatusOf, channelClient, type ChannelServiceClient, collect, type OutboundReply__Output, type Timeline__Output } from "../gateway/index.ts";
import { samples, sumOf } from "../observability/index.ts";
import { DevCredentialsFile } from "./dev-credentials.ts";
import { readRunningMesh, type RunningMesh } from "./running-mesh.ts";

const HOUR_MS = 3_600_000;
/** The customer: the sample account acc-1001 (peers/cx/data/accounts.json). */
const ADA = { chat: "chat-ada", phone: "+44 20 7946 0001", email: "ada@example.com" } as const;
const FIRST_MESSAGE = "I was charged twice for my October bill";
const CALL_MESSAGE = "Hello, it's Ada again. Has the refund for October come through?";
/** The call comes the next day; the follow-up is due 24 h after the chat reply. */
const CALL_AFTER_MS = 20 * HOUR_MS;
const FOLLOWUP_AFTER_MS = 5 * HOUR_MS;
/** How long one step of the journey may take before the demo gives up. */
const STEP_TIMEOUT_MS = 60_000;
const POLL_MS = 150;
/** The one-time code in the e-mail the identity peer sends. */
const CODE = /verification code is (\d{4,10})\b/;
const PRIVATE_MESH_START_TIMEOUT_MS = 120_000;

/** A failure to explain to the person running the demo; `exitCode` 2 is configuration. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "DemoError";
  }
}

/** The last line. */
export interface DemoResult {
  case: string;
  channels: string[];
  handoffs: number;
  reasks: number;
  /** How the mesh verified Ada: `otp`, the one-time code. */
  verified_by: string | null;
  credit_applied: boolean;
  followup_fired: boolean;
}

const out = (line = "") => process.stdout.write(`${line}\n`);

/** Runs the demo; resolves with the process exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const unknown = argv.filter((a) => a !== "--private");
  if (unknown.length > 0) {
    process.stderr.write(`demo: unknown argument ${unknown[0]}; usage: npm run demo [-- --private]\n`);
    return 2;
  }
  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  let own: PrivateMesh | undefined;
  try {
    let mesh = argv.includes("--private") ? undefined : await readRunningMesh(dataDir);
    if (mesh !== undefined && !(await gatewayAnswers(mesh.gateway))) {
      out(`the mesh in ${join(dataDir, "running-mesh.json")} (pid ${mesh.pid}) does not answer at ${mesh.gateway}`);
      mesh = undefined;
    }
    if (mesh === undefined) {
      out("starting a private mesh (its own nats-server, a temporary folder); this takes a few seconds");
      own = await startPrivateMesh();
      mesh = own.mesh;
    } else {
      out(`using the mesh npm start runs (pid ${mesh.pid}), gateway ${mesh.gateway}`);
    }
    const result = await journey(mesh);
    out(JSON.stringify(result));
    return result.credit_applied && result.followup_fired && result.reasks === 0 && result.verified_by === "otp" ? 0 : 1;
  } catch (err) {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof DemoError ? err.exitCode : 1;
  } finally {
    await own?.stop();
  }
}

/** The journey against `mesh`; throws {@link DemoError} when a step does not happen. */
async function journey(mesh: RunningMesh): Promise<DemoResult> {
  if (mesh.tls) throw new DemoError("the running mesh's gateway uses TLS; the demo speaks plaintext to a local gateway (run npm run demo -- --private)", 2);
  if (mesh.clock !== "shared") {
    throw new DemoError("the running mesh is on the wall clock (CASEMESH_CLOCK=system), so the demo cannot move it to the next day; run npm run demo -- --private", 2);
  }
  const creds = await devCredentials(mesh);
  const client = channelClient(mesh.gateway);
  const nc = await connectNats({ servers: mesh.nats, name: "demo" });
  const runId = Date.now().toString(36);
  try {
    await refuseRerun(client, creds.chat, creds.operator);

    out();
    out(`1. chat, ${ADA.chat}: "${FIRST_MESSAGE}"`);
    const chat = await call(client, "Send", { channel: "CHAT", address: ADA.chat, text: FIRST_MESSAGE, client_message_id: `demo-${runId}-1` }, creds.chat);
    const caseId = chat.case_id;
    const codes = client.Outbox({ channel: "EMAIL", after_seq: chat.seq }, auth(creds.email));
    const codeMails = collect<OutboundReply__Output>(codes);
    let timeline: Timeline__Output;
    let code: string;
    try {
      timeline = await until(client, caseId, creds.operator, "the chat reply", (t) => replyAfter(t, Number(chat.seq), "CHAT"));
      out(`   reply (chat): ${replyAfter(timeline, Number(chat.seq), "CHAT")}`);
      const mail = await waitFor("the one-time code e-mail in the Outbox", () => codeMails.items.find((e) => e.case_id === caseId && CODE.test(e.text)));
      code = CODE.exec(mail.text)?.[1] ?? "";
      out(`   e-mail to ${mail.addresses.join(", ")} (the address registered on the account): ${mail.text}`);
      await call(client, "ConfirmDelivery", { case_id: caseId, fact_id: mail.fact_id, channel: "EMAIL", address: mail.addresses[0] ?? "" }, creds.email);
    } finally {
      codes.cancel();
      await codeMails.ended;
    }
    out(`   chat, ${ADA.chat}: "${code}" (the log keeps it as dots)`);
    const answer = await call(client, "Send", { channel: "CHAT", address: ADA.chat, text: code, client_message_id: `demo-${runId}-1b` }, creds.chat);
    if (answer.case_id !== caseId) throw new DemoError(`the code landed on case ${answer.case_id}, not on ${caseId}`);
    timeline = await until(client, caseId, creds.operator, "the reply after the code", (t) => replyAfter(t, Number(answer.seq), "CHAT"));
    out(`   reply (chat): ${replyAfter(timeline, Number(answer.seq), "CHAT")}`);
    if (!timeline.facts.some((f) => f.kind === "credit.applied")) {
      const told = timeline.facts.find((f) => f.kind === "reply.drafted" && Number(f.seq) > Number(answer.seq));
      throw new DemoError(`no credit was applied on case ${caseId}; the mesh replied: ${told?.data_json ?? "nothing"}`);
    }

    out();
    out(`2. the next day: the mesh clock moves ${CALL_AFTER_MS / HOUR_MS} h forward`);
    await moveClock(nc, mesh, CALL_AFTER_MS);
    out(`   voice, ${ADA.phone}: "${CALL_MESSAGE}"`);
    const voice = await call(client, "Send", { channel: "VOICE", address: ADA.phone, text: CALL_MESSAGE, client_message_id: `demo-${runId}-2` }, creds.voice);
    if (voice.case_id !== caseId) throw new DemoError(`the call landed on case ${voice.case_id}, not on the chat's case ${caseId}: the customer would repeat their story`);
    timeline = await until(client, caseId, creds.operator, "the voice reply", (t) => replyAfter(t, Number(voice.seq), "VOICE"));
    out(`   reply (voice): ${replyAfter(timeline, Number(voice.seq), "VOICE")}`);

    out();
    out(`3. ${FOLLOWUP_AFTER_MS / HOUR_MS} h later the follow-up is due; the demo reads the e-mail Outbox as an e-mail sender`);
    const outbox = client.Outbox({ channel: "EMAIL", after_seq: timeline.last_seq }, auth(creds.email));
    const emails = collect<OutboundReply__Output>(outbox);
    try {
      await moveClock(nc, mesh, FOLLOWUP_AFTER_MS);
      const email = await waitFor("the follow-up e-mail in the Outbox", () => emails.items.find((e) => e.case_id === caseId));
      const to = email.addresses[0] ?? "";
      out(`   e-mail to ${to}: ${email.text}`);
      const confirmed = await call(client, "ConfirmDelivery", { case_id: caseId, fact_id: email.fact_id, channel: "EMAIL", address: to }, creds.email);
      out(`   delivered (reply.delivered at seq ${confirmed.seq})`);
    } finally {
      outbox.cancel();
      await emails.ended;
    }

    timeline = await call(client, "GetTimeline", { case_id: caseId }, creds.operator);
    printTimeline(timeline);
    const fired = timeline.facts.filter((f) => f.kind === "timer.fired").length;
    if (fired > 1) throw new DemoError(`the follow-up fired ${fired} times`);
    return {
      case: caseId,
      channels: channelsUsed(timeline),
      handoffs: timeline.handoffs.length,
      reasks: await reasks(mesh),
      verified_by: verifiedBy(timeline),
      credit_applied: timeline.facts.filter((f) => f.kind === "credit.applied").length === 1,
      followup_fired: fired === 1 && timeline.facts.some((f) => f.kind === "reply.delivered" && f.channel === "EMAIL"),
    };
  } finally {
    client.close();
    await nc.close();
  }
}

/** The demo credits Ada's duplicate charge; on a mesh where an earlier run did, it says so instead of showing a journey that cannot happen. */
async function refuseRerun(client: ChannelServiceClient, credential: string, operator: string): Promise<void> {
  const session = client.Session(auth(credential));
  const opened = await new Promise<string>((resolve, reject) => {
    session.on("data", (e: { opened?: { case_id: string } }) => {
      if (e.opened !== undefined) resolve(e.opened.case_id);
    });
    session.on("error", (err: ServiceError) => reject(err));
    session.write({ open: { channel: "CHAT", address: ADA.chat } });
  });
  session.on("error", () => undefined);
  session.cancel();
  if (opened === "") return;
  const timeline = await call(client, "GetTimeline", { case_id: opened }, operator);
  if (timeline.facts.some((f) => f.kind === "credit.applied")) {
    throw new DemoError(
      `this mesh already ran the journey: Ada's case ${opened} holds the credit, and a charge is credited once. ` +
        "Run npm run demo -- --private for a fresh private mesh, or restart npm start with a new data folder and NATS store.",
    );
  }
}

/** The reply drafted for `channel` after `seq`, if any. */
function replyAfter(timeline: Timeline__Output, seq: number, channel: string): string | undefined {
  const fact = timeline.facts.find((f) => f.kind === "reply.drafted" && Number(f.seq) > seq && f.channel === channel);
  if (fact === undefined) return undefined;
  const data = JSON.parse(fact.data_json) as { text?: unknown };
  return typeof data.text === "string" ? data.text : "";
}

/** The method of the case's identity.verified, if it holds one. */
function verifiedBy(timeline: Timeline__Output): string | null {
  const fact = timeline.facts.find((f) => f.kind === "identity.verified");
  if (fact === undefined) return null;
  const data = JSON.parse(fact.data_json) as { method?: unknown };
  return typeof data.method === "string" ? data.method : null;
}

/** Channels the conversation used (customer messages and replies), in order of first use. */
function channelsUsed(timeline: Timeline__Output): string[] {
  const used: string[] = [];
  for (const f of timeline.facts) {
    if (f.kind !== "message.received" && f.kind !== "reply.drafted") continue;
    const channel = f.channel.toLowerCase();
    if (!used.includes(channel)) used.push(channel);
  }
  return used;
}

/** Polls the full timeline (`credential` is the operator's) until `ready` gives a value. */
async function until<T>(client: ChannelServiceClient, caseId: string, credential: string, what: string, ready: (t: Timeline__Output) => T | undefined): Promise<Timeline__Output> {
  let latest: Timeline__Output | undefined;
  await waitFor(what, async () => {
    latest = await call(client, "GetTimeline", { case_id: caseId }, credential);
    return ready(latest) === undefined ? undefined : latest;
  });
  if (latest === undefined) throw new DemoError(`no timeline for case ${caseId}`);
  return latest;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoError(`${what} did not come within ${STEP_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** Moves the shared clock and waits until every process that follows it (their /metrics say) has moved. */
async function moveClock(nc: NatsConnection, mesh: RunningMesh, byMs: number): Promise<void> {
  const offsetMs = await advanceSharedClock(nc, byMs, "npm run demo");
  await waitFor("every process following the mesh clock", async () => {
    const seen = await Promise.all(
      mesh.metrics.map(async (m) => {
        const body = await scrape(m.url);
        const offsets = body === undefined ? [] : samples(body, "casemesh_clock_offset_seconds");
        return offsets.every((s) => Math.round(s.value * 1000) === offsetMs);
      }),
    );
    return seen.every(Boolean) ? true : undefined;
  });
  out(`   mesh time is now ${new Date(Date.now() + offsetMs).toISOString()} (${(offsetMs / HOUR_MS).toFixed(1)} h ahead of the wall clock)`);
}

/** casemesh_reasks_total summed over the mesh's processes. */
async function reasks(mesh: RunningMesh): Promise<number> {
  let total = 0;
  for (const m of mesh.metrics) {
    const body = await scrape(m.url);
    if (body === undefined) process.stderr.write(`demo: ${m.name}'s /metrics (${m.url}) did not answer; its re-asks are not counted\n`);
    else total += sumOf(body, "casemesh_reasks_total");
  }
  return total;
}

async function scrape(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

function printTimeline(t: Timeline__Output): void {
  out();
  out(`case ${t.case_id} (customer ${t.customer_id}, ${caseStatusOf(t.status) ?? t.status}), channels ${t.channels.join(" → ").toLowerCase()}`);
  for (const f of t.facts) {
    const channel = f.channel === "CHANNEL_UNSPECIFIED" ? "" : ` [${f.channel.toLowerCase()}]`;
    out(`  ${String(f.seq).padStart(5)}  ${f.at.slice(0, 19).replace("T", " ")}  ${f.kind.padEnd(18)} ${f.source_peer}/${f.source_capability}${channel}`);
  }
  out();
  out(`handoffs (${t.handoffs.length}), each with its bids:`);
  for (const h of t.handoffs) {
    const from = h.from_capability === "" ? "(customer)" : h.from_capability;
    out(`  ${String(h.seq).padStart(5)}  ${from} → ${h.to_capability}, attempt ${h.attempt}: ${h.peer}`);
    for (const b of [...h.bids].sort((a, b) => b.utility - a.utility)) {
      out(`           bid ${b.peer} v${b.version}: utility ${b.utility.toFixed(3)} (fit ${b.fit}, load ${b.load.toFixed(2)}, cost ${b.cost}, continuity ${b.continuity}, version ${b.version_weight})`);
    }
  }
  out();
}

/**
 * The channel credentials from the development credentials file `npm start`
 * made, and its operator credential: the timeline the demo prints, with every
 * handoff, its bids and the internal facts, is the operator's view (a channel
 * credential reads only its customer's view of a case).
 */
async function devCredentials(mesh: RunningMesh): Promise<{ chat: string; voice: string; email: string; operator: string }> {
  if (mesh.credentialsFile === null) {
    throw new DemoError("the running mesh uses credentials its operator gave, not development ones; run npm run demo -- --private", 2);
  }
  let file: DevCredentialsFile;
  try {
    file = DevCredentialsFile.parse(JSON.parse(await readFile(mesh.credentialsFile, "utf8")));
  } catch (err) {
    throw new DemoError(`cannot read the development credentials ${mesh.credentialsFile}: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
  const forChannel = (channel: "chat" | "voice" | "email") => {
    const found = file.credentials.find((c) => c.channels.includes(channel));
    if (found === undefined) throw new DemoError(`${mesh.credentialsFile} has no ${channel} credential`, 2);
    return found.credential;
  };
  const operator = file.credentials.find((c) => c.operator)?.credential;
  if (operator === undefined) throw new DemoError(`${mesh.credentialsFile} has no operator credential (dev-operator); restart npm start, which adds it`, 2);
  return { chat: forChannel("chat"), voice: forChannel("voice"), email: forChannel("email"), operator };
}

/** True when a gRPC channel to `address` becomes ready within 3 s. */
async function gatewayAnswers(address: string): Promise<boolean> {
  const client = channelClient(address);
  try {
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 3_000, (err) => (err === undefined || err === null ? resolve() : reject(err))));
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

interface PrivateMesh {
  mesh: RunningMesh;
  stop(): Promise<void>;
}

/** `npm start` in a temporary folder with its own nats-server on a free port; stopped and removed by `stop()`. */
async function startPrivateMesh(): Promise<PrivateMesh> {
  const dir = await mkdtemp(join(tmpdir(), "casemesh-demo-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CASEMESH_DATA_DIR: dir,
    CASEMESH_LOCAL_NATS_PORT: "0",
    CASEMESH_GATEWAY_ADDRESS: "127.0.0.1:0",
    CASEMESH_GATEWAY_METRICS_PORT: "0",
    CASEMESH_BLACKBOARD_METRICS_PORT: "0",
    CASEMESH_CLOCK: "shared",
    LOG_LEVEL: process.env["LOG_LEVEL"] ?? "warn",
  };
  delete env["NATS_URL"];
  delete env["CASEMESH_GATEWAY_CREDENTIALS"];
  delete env["CASEMESH_GATEWAY_CREDENTIALS_FILE"];
  delete env["CASEMESH_GATEWAY_TLS_CERT_FILE"];
  delete env["CASEMESH_GATEWAY_TLS_KEY_FILE"];
  delete env["CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE"];
  const start = join(dirname(fileURLToPath(import.meta.url)), "start.ts");
  // With a channel, the private mesh stops if this demo dies (core/shutdown.ts).
  const child = spawn(process.execPath, ["--import", "tsx", start], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
    log.splice(0, Math.max(0, log.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  const deadline = Date.now() + PRIVATE_MESH_START_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    const mesh = await readRunningMesh(dir);
    if (mesh !== undefined) {
      out(`private mesh ready: gateway ${mesh.gateway}, NATS ${mesh.nats}`);
      return { mesh, stop };
    }
    if (gone || Date.now() > deadline) {
      await stop();
      throw new DemoError(`the private mesh did not start${gone ? "" : ` within ${PRIVATE_MESH_START_TIMEOUT_MS / 1000} s`}; its last lines:\n${log.join("\n")}`);
    }
    await sleep(200);
  }
}

/** SIGINT (npm start stops its children), then SIGKILL after 30 s. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

if (isMain(import.meta.url)) process.exit(await main());
