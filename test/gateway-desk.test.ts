import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Kvm } from "@nats-io/kv";
import { status, type ClientReadableStream } from "@grpc/grpc-js";
import { BlackboardClient } from "../blackboard/client.ts";
import { DESK_OFFERS_BUCKET, DeskBoard } from "../blackboard/desk-board.ts";
import type { DeskEvent__Output } from "../gateway/generated/casemesh/v1/DeskEvent.ts";
import type { AgentDeskServiceClient } from "../gateway/generated/casemesh/v1/AgentDeskService.ts";
import { TOKENS, auth, call, callFails, channelClient, collect, deskClient, startGateway } from "./harness/gateway.ts";
import { testWriter } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { eventually } from "./harness/wait.ts";

// One nats-server, one blackboard replica, and two gateways side by side:
// the test plays the human-desk peer by making offers on the desk board.
const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gatewayA = await startGateway(nc, { config: { gatewayId: "gw-a" } });
const gatewayB = await startGateway(nc, { config: { gatewayId: "gw-b" } });
const deskA = deskClient(gatewayA.address);
const deskB = deskClient(gatewayB.address);
const customers = channelClient(gatewayA.address);
const blackboard = new BlackboardClient(nc);
const board = await DeskBoard.open(nc);

/** A customer's chat message, opening their case. */
async function customerCase(address: string, text = "I was charged twice this month") {
  return call(customers, "send", { channel: "CHAT", address, text, client_message_id: `${address}-1` }, TOKENS.chat);
}

/** An offer of `caseId` to `agentId`, as the desk peer makes it. */
async function offer(agentId: string, sent: { case_id: string; seq: string }, options: { expiresInMs?: number; summary?: string } = {}) {
  const made = await board.createOffer({
    agentId,
    caseId: sent.case_id,
    caseSeq: Number(sent.seq),
    needId: `${sent.case_id}.human-billing`,
    capability: "human.billing",
    summary: options.summary ?? "Double charge on the October bill; the customer is not verified yet.",
    expiresAt: new Date(Date.now() + (options.expiresInMs ?? 30_000)).toISOString(),
  });
  return made.value;
}

/** An open SignIn stream, once `signed_in` has arrived. */
async function signIn(agentId: string, options: { desk?: AgentDeskServiceClient; skills?: string[]; capacity?: number; displayName?: string } = {}) {
  const stream: ClientReadableStream<DeskEvent__Output> = (options.desk ?? deskA).signIn(
    { agent_id: agentId, display_name: options.displayName ?? "", skills: options.skills ?? ["human.billing"], capacity: options.capacity ?? 2 },
    auth(TOKENS.desk),
  );
  const events = collect(stream);
  // Cancelled by the test; also after it, should an assertion fail first.
  after(() => stream.cancel());
  await eventually(`${agentId} signed in`, async () => (events.items.some((e) => e.kind === "signed_in") ? true : undefined));
  return { stream, ...events };
}

async function stateOf(offerId: string) {
  return (await board.getOffer(offerId))?.value;
}

async function factsOf(caseId: string, kind: string, minSeq = 0) {
  const { facts } = await blackboard.getCase({ caseId, minSeq });
  return facts.filter((f) => f.fact.kind === kind);
}

test("signing in puts the agent on the desk board with skills and capacity; cancelling the stream takes it off", async () => {
  const ada = await signIn("ada", { skills: ["human.billing", "human.triage"], capacity: 3, displayName: "Ada Lovelace" });
  assert.deepEqual(ada.items[0], { kind: "signed_in", signed_in: { agent_id: "ada" } });
  const entry = await board.getAgent("ada");
  assert.ok(entry !== undefined, "the agent is present");
  assert.deepEqual(
    { ...entry.value, session: undefined, at: undefined },
    { agentId: "ada", displayName: "Ada Lovelace", skills: ["human.billing", "human.triage"], capacity: 3, active: 0, gateway: "gw-a", session: undefined, at: undefined },
  );
  assert.ok((await board.listAgents()).some((a) => a.agentId === "ada"));
  // The entry is kept fresh while the stream is open.
  const first = entry.revision;
  await eventually("a heartbeat", async () => ((await board.getAgent("ada"))!.revision > first ? true : undefined), 5_000);

  ada.stream.cancel();
  assert.equal((await ada.ended)?.code, status.CANCELLED);
  // Well within the TTL: the entry is deleted, not left to age out.
  await eventually("ada gone from the board", async () => ((await board.getAgent("ada")) === undefined ? true : undefined), 1_500);
  assert.ok(!(await board.listAgents()).some((a) => a.agentId === "ada"));
});

test("a second live sign-in of one agent is refused with FAILED_PRECONDITION on any gateway; after sign-out it is allowed", async () => {
  const grace = await signIn("grace");
  const twin = collect(deskB.signIn({ agent_id: "grace", display_name: "", skills: ["human.billing"], capacity: 1 }, auth(TOKENS.desk)));
  const refused = await twin.ended;
  assert.equal(refused?.code, status.FAILED_PRECONDITION);
  assert.match(refused?.details ?? "", /already signed in on gateway gw-a/);
  assert.equal(twin.items.length, 0, "nothing is sent to the refused desktop");
  assert.equal((await board.getAgent("grace"))?.value.gateway, "gw-a", "the first sign-in keeps the agent");

  grace.stream.cancel();
  await grace.ended;
  await eventually("grace signed out", async () => ((await board.getAgent("grace")) === undefined ? true : undefined), 1_500);
  const again = await signIn("grace", { desk: deskB });
  assert.equal((await board.getAgent("grace"))?.value.gateway, "gw-b");
  again.stream.cancel();
  await again.ended;
});

test("an agent whose gateway died drops off the board within the TTL, and can then sign in elsewhere", async () => {
  // A gateway announced the agent once and died: no heartbeat, no sign-out.
  await board.signInAgent({
    agentId: "kim",
    displayName: "kim",
    skills: ["human.billing"],
    capacity: 1,
    active: 0,
    gateway: "gw-dead",
    session: "dead-session",
    at: new Date().toISOString(),
  });
  const early = await collect(deskA.signIn({ agent_id: "kim", display_name: "", skills: ["human.billing"], capacity: 1 }, auth(TOKENS.desk))).ended;
  assert.equal(early?.code, status.FAILED_PRECONDITION, "refused while the entry is live");
  assert.match(early?.details ?? "", /gw-dead/);
  await eventually("kim aged out", async () => ((await board.getAgent("kim")) === undefined ? true : undefined), board.ttlMs + 2_000);
  assert.ok(!(await board.listAgents()).some((a) => a.agentId === "kim"));
  const kim = await signIn("kim");
  assert.equal((await board.getAgent("kim"))?.value.gateway, "gw-a");
  kim.stream.cancel();
  await kim.ended;
});

test("offers reach the agent's stream with the summary and the case's timeline; an expired offer is withdrawn", async () => {
  const sent = await customerCase("offer-cust", "My card was charged twice for the same order");
  const waiting = await offer("linus", sent, { summary: "Charged twice for one order; refund needed." });
  const lapsed = await offer("linus", sent, { expiresInMs: -1_000 });
  const elsewhere = await offer("someone-else", sent);

  // An offer made before sign-in is shown at sign-in.
  const linus = await signIn("linus");
  const shown = await eventually("the waiting offer", async () => linus.items.find((e) => e.offer?.offer_id === waiting.offerId)?.offer ?? undefined);
  assert.equal(shown.case_id, sent.case_id);
  assert.equal(shown.capability, "human.billing");
  assert.equal(shown.need_id, waiting.needId);
  assert.equal(shown.summary, "Charged twice for one order; refund needed.");
  assert.equal(shown.expires_at, waiting.expiresAt);
  assert.equal(shown.timeline?.case_id, sent.case_id);
  assert.equal(shown.timeline?.current_channel, "CHAT");
  const said = shown.timeline?.facts.filter((f) => f.kind === "message.received").map((f) => JSON.parse(f.data_json).text);
  assert.deepEqual(said, ["My card was charged twice for the same order"]);

  // A live offer arrives as it is made, and is withdrawn when its reservation runs out.
  const brief = await offer("linus", sent, { expiresInMs: 600 });
  await eventually("the brief offer", async () => (linus.items.some((e) => e.offer?.offer_id === brief.offerId) ? true : undefined), 5_000);
  const withdrawn = await eventually("the brief offer withdrawn", async () => linus.items.find((e) => e.withdrawn?.offer_id === brief.offerId)?.withdrawn ?? undefined, 5_000);
  assert.match(withdrawn.reason, /expired/);
  assert.equal(withdrawn.cause, "WITHDRAWAL_CAUSE_EXPIRED");
  assert.equal((await stateOf(brief.offerId))?.state, "expired");

  // The desk peer takes an offer back (another agent got the case): withdrawn, with its reason.
  await board.transition(waiting.offerId, ["offered"], "expired", { note: "another agent took the case" });
  const taken = await eventually("the waiting offer withdrawn", async () => linus.items.find((e) => e.withdrawn?.offer_id === waiting.offerId)?.withdrawn ?? undefined, 5_000);
  assert.equal(taken.reason, "another agent took the case");
  assert.equal(taken.cause, "WITHDRAWAL_CAUSE_EXPIRED");

  const offered = linus.items.flatMap((e) => (e.offer ? [e.offer.offer_id] : []));
  assert.deepEqual(offered, [waiting.offerId, brief.offerId], "neither a lapsed offer nor another agent's is shown");
  assert.ok(!offered.includes(lapsed.offerId) && !offered.includes(elsewhere.offerId));
  linus.stream.cancel();
  await linus.ended;
});

test("an offer deleted from the desk board is withdrawn as taken back", async () => {
  const sent = await customerCase("taken-back-cust");
  const made = await offer("tova", sent);
  const tova = await signIn("tova");
  await eventually("the offer", async () => (tova.items.some((e) => e.offer?.offer_id === made.offerId) ? true : undefined));
  await (await new Kvm(nc).open(DESK_OFFERS_BUCKET)).delete(made.offerId);
  const withdrawn = await eventually("the offer withdrawn", async () => tova.items.find((e) => e.withdrawn?.offer_id === made.offerId)?.withdrawn ?? undefined, 5_000);
  assert.deepEqual(withdrawn, { offer_id: made.offerId, reason: "the offer was taken back", cause: "WITHDRAWAL_CAUSE_TAKEN_BACK" });
  tova.stream.cancel();
  await tova.ended;
});

test("accept within the reservation, reply on the customer's current channel, resolve: the case is resolved, once", async () => {
  const chat = await customerCase("mover", "Why was I charged twice?");
  await call(customers, "linkAddress", { known_channel: "CHAT", known_address: "mover", channel: "VOICE", address: "+15550107777", verified: true }, TOKENS.voice);
  const voice = await call(customers, "send", { channel: "VOICE", address: "+15550107777", text: "Calling about the double charge", client_message_id: "call-1" }, TOKENS.voice);
  assert.equal(voice.case_id, chat.case_id);
  const mae = await signIn("mae", { capacity: 2 });
  const work = await offer("mae", voice);
  await eventually("the offer on mae's stream", async () => (mae.items.some((e) => e.offer?.offer_id === work.offerId) ? true : undefined));

  const accepted = await call(deskA, "accept", { agent_id: "mae", offer_id: work.offerId }, TOKENS.desk);
  assert.deepEqual(accepted, { ok: true, case_id: chat.case_id });
  assert.equal((await stateOf(work.offerId))?.state, "accepted");
  await eventually("mae holds one case", async () => ((await board.getAgent("mae"))?.value.active === 1 ? true : undefined), 5_000);

  const text = "I have refunded the duplicate charge; it shows within 3 days.";
  const reply = await call(deskA, "reply", { agent_id: "mae", offer_id: work.offerId, text }, TOKENS.desk);
  assert.equal(reply.channel, "VOICE", "the reply goes where the customer is now");
  const [drafted, ...more] = await factsOf(chat.case_id, "reply.drafted", Number(reply.seq));
  assert.equal(more.length, 0);
  assert.equal(drafted?.seq, Number(reply.seq));
  assert.deepEqual(drafted?.fact.data, { channel: "voice", text, replyTo: (await factsOf(chat.case_id, "message.received", Number(voice.seq))).pop()?.fact.id });
  assert.deepEqual(drafted?.fact.source, { peer: "desk:mae", capability: "human.billing", version: "1" });
  assert.equal(drafted?.fact.needId, work.needId);

  const resolved = await call(deskB, "resolve", { agent_id: "mae", offer_id: work.offerId, resolution: "Refunded the duplicate charge" }, TOKENS.desk);
  const facts = await factsOf(chat.case_id, "case.resolved", Number(resolved.seq));
  assert.deepEqual(facts.map((f) => [f.seq, f.fact.data]), [[Number(resolved.seq), { resolution: "Refunded the duplicate charge", by: "mae" }]]);
  assert.equal((await blackboard.getCaseBrief({ caseId: chat.case_id, minSeq: Number(resolved.seq) })).case.status, "resolved");
  assert.equal((await stateOf(work.offerId))?.state, "resolved");
  await eventually("mae holds no case", async () => ((await board.getAgent("mae"))?.value.active === 0 ? true : undefined), 5_000);
  const timeline = await call(customers, "getTimeline", { case_id: chat.case_id, channel: "CHAT", address: "mover" }, TOKENS.chat);
  assert.equal(timeline.status, "CASE_STATUS_RESOLVED");
  mae.stream.cancel();
  await mae.ended;
});

test("a retried Reply or Resolve, even racing on two gateways, writes one fact and answers with the same seq", async () => {
  const sent = await customerCase("retrier");
  const work = await offer("otto", sent);
  assert.equal((await call(deskA, "accept", { agent_id: "otto", offer_id: work.offerId }, TOKENS.desk)).ok, true);

  const reply = { agent_id: "otto", offer_id: work.offerId, text: "Looking into it now." };
  const replies = await Promise.all([deskA, deskB, deskA].map((d) => call(d, "reply", reply, TOKENS.desk)));
  assert.equal(new Set(replies.map((r) => r.seq)).size, 1);
  const late = await call(deskB, "reply", reply, TOKENS.desk);
  assert.equal(late.seq, replies[0]?.seq, "a late retry answers with the first reply");
  const next = await call(deskA, "reply", { ...reply, text: "Found it: the refund is on its way." }, TOKENS.desk);
  assert.ok(Number(next.seq) > Number(late.seq), "a different reply is a new message");
  const drafted = await factsOf(sent.case_id, "reply.drafted", Number(next.seq));
  assert.deepEqual(drafted.map((f) => (f.fact.data as { text: string }).text), ["Looking into it now.", "Found it: the refund is on its way."]);

  const resolve = { agent_id: "otto", offer_id: work.offerId, resolution: "Refund issued" };
  const done = await Promise.all([deskA, deskB, deskB].map((d) => call(d, "resolve", resolve, TOKENS.desk)));
  assert.equal(new Set(done.map((d) => d.seq)).size, 1);
  const again = await call(deskA, "resolve", resolve, TOKENS.desk);
  assert.equal(again.seq, done[0]?.seq);
  assert.equal((await factsOf(sent.case_id, "case.resolved", Number(again.seq))).length, 1);
});

test("a Resolve cut off after its fact was written is finished by a retry, beyond the dedup window, without a second fact", async () => {
  const sent = await customerCase("cut-off");
  const work = await offer("cato", sent);
  await call(deskA, "accept", { agent_id: "cato", offer_id: work.offerId }, TOKENS.desk);
  // What the first attempt left: the fact (under another msg id, as if the
  // dedup window had passed), and the offer still accepted.
  const writer = await testWriter(nc);
  const first = await writer.append(
    { caseId: sent.case_id, kind: "case.resolved", needId: work.needId, source: { peer: "desk:cato", capability: "human.billing", version: "1" }, data: { resolution: "Refund issued", by: "cato" } },
    { msgId: "an-old-attempt" },
  );
  await blackboard.getCase({ caseId: sent.case_id, minSeq: first.seq });
  const retried = await call(deskB, "resolve", { agent_id: "cato", offer_id: work.offerId, resolution: "Refund issued" }, TOKENS.desk);
  assert.equal(retried.seq, String(first.seq));
  assert.equal((await factsOf(sent.case_id, "case.resolved", first.seq)).length, 1);
  assert.equal((await stateOf(work.offerId))?.state, "resolved");
});

test("accepting after the reservation expired answers ok=false, marks the offer expired, and writes nothing", async () => {
  const sent = await customerCase("too-late");
  const work = await offer("ivy", sent, { expiresInMs: 150 });
  await new Promise((r) => setTimeout(r, 250));
  const before = (await blackboard.getCase({ caseId: sent.case_id, minSeq: Number(sent.seq) })).case.lastSeq;

  const late = await call(deskA, "accept", { agent_id: "ivy", offer_id: work.offerId }, TOKENS.desk);
  assert.deepEqual(late, { ok: false, case_id: sent.case_id });
  assert.equal((await stateOf(work.offerId))?.state, "expired");
  const reply = await callFails(deskA, "reply", { agent_id: "ivy", offer_id: work.offerId, text: "Hello?" }, TOKENS.desk);
  assert.equal(reply.code, status.FAILED_PRECONDITION);
  assert.match(reply.details, /expired/);
  const resolve = await callFails(deskA, "resolve", { agent_id: "ivy", offer_id: work.offerId, resolution: "done" }, TOKENS.desk);
  assert.equal(resolve.code, status.FAILED_PRECONDITION);
  assert.equal((await blackboard.getCase({ caseId: sent.case_id })).case.lastSeq, before, "nothing was written on the case");
});

test("declining gives the offer up: it cannot then be accepted or worked on", async () => {
  const sent = await customerCase("declined-cust");
  const work = await offer("dan", sent);
  assert.deepEqual(await call(deskA, "decline", { agent_id: "dan", offer_id: work.offerId }, TOKENS.desk), { ok: true, case_id: sent.case_id });
  assert.equal((await stateOf(work.offerId))?.state, "declined");
  assert.equal((await call(deskB, "accept", { agent_id: "dan", offer_id: work.offerId }, TOKENS.desk)).ok, false);
  assert.equal((await callFails(deskA, "reply", { agent_id: "dan", offer_id: work.offerId, text: "hi" }, TOKENS.desk)).code, status.FAILED_PRECONDITION);
  assert.equal((await stateOf(work.offerId))?.state, "declined");
});

test("handing back records the note for whoever takes the case next and answers seq 0; the agent can then no longer reply", async () => {
  const sent = await customerCase("handback-cust");
  const work = await offer("hal", sent);
  await call(deskA, "accept", { agent_id: "hal", offer_id: work.offerId }, TOKENS.desk);
  const note = "Customer disputes the late fee too; card ends 4242 is verified.";
  assert.deepEqual(await call(deskA, "handBack", { agent_id: "hal", offer_id: work.offerId, note }, TOKENS.desk), { seq: "0" });
  const after = await stateOf(work.offerId);
  assert.equal(after?.state, "handed_back");
  assert.equal(after?.note, note);
  assert.deepEqual(await call(deskB, "handBack", { agent_id: "hal", offer_id: work.offerId, note }, TOKENS.desk), { seq: "0" }, "a retry is answered the same");
  assert.equal((await callFails(deskA, "reply", { agent_id: "hal", offer_id: work.offerId, text: "one more thing" }, TOKENS.desk)).code, status.FAILED_PRECONDITION);
  assert.equal((await factsOf(sent.case_id, "reply.drafted", Number(sent.seq))).length, 0);
});

test("an Accept retried or racing on two gateways answers ok to each, and accepts the offer once; a Decline after it is refused", async () => {
  const sent = await customerCase("raced-cust");
  for (let round = 0; round < 8; round++) {
    const work = await offer("rita", sent);
    const answers = await Promise.all([deskA, deskB, deskA].map((d) => call(d, "accept", { agent_id: "rita", offer_id: work.offerId }, TOKENS.desk)));
    assert.deepEqual(answers.map((a) => a.ok), [true, true, true], `round ${round}`);
    assert.ok(answers.every((a) => a.case_id === sent.case_id));
    const after = await board.getOffer(work.offerId);
    assert.equal(after?.value.state, "accepted");
    assert.ok((await call(deskB, "accept", { agent_id: "rita", offer_id: work.offerId }, TOKENS.desk)).ok);
    assert.equal((await board.getOffer(work.offerId))?.revision, after?.revision, "a repeated Accept writes nothing");
    const decline = await call(deskB, "decline", { agent_id: "rita", offer_id: work.offerId }, TOKENS.desk);
    assert.equal(decline.ok, false, "an accepted offer cannot be declined");
  }
});

test("a channel credential is PERMISSION_DENIED on the desk, a missing one UNAUTHENTICATED; nothing changes", async () => {
  const sent = await customerCase("guarded-cust");
  const work = await offer("nora", sent);
  const accept = await callFails(deskA, "accept", { agent_id: "nora", offer_id: work.offerId }, TOKENS.chat);
  assert.equal(accept.code, status.PERMISSION_DENIED);
  assert.match(accept.details, /not an agent desk credential/);
  assert.equal((await callFails(deskA, "resolve", { agent_id: "nora", offer_id: work.offerId, resolution: "x" }, undefined)).code, status.UNAUTHENTICATED);
  const signIn = collect(deskA.signIn({ agent_id: "nora", display_name: "", skills: ["human.billing"], capacity: 1 }, auth(TOKENS.chat)));
  assert.equal((await signIn.ended)?.code, status.PERMISSION_DENIED);
  assert.equal(await board.getAgent("nora"), undefined, "the chat credential did not sign anyone in");
  assert.equal((await stateOf(work.offerId))?.state, "offered");
});

test("malformed desk requests are INVALID_ARGUMENT naming the proto field, and write nothing", async () => {
  const badSignIns: [Record<string, unknown>, RegExp][] = [
    [{ agent_id: "bad id!" }, /at agent_id: must be 1-64 letters/],
    [{ agent_id: "" }, /at agent_id: is required/],
    [{ skills: [] }, /at skills: must list at least one/],
    [{ skills: ["Human Billing"] }, /at skills\.0: must be dotted lower-case/],
    [{ capacity: 0 }, /at capacity: must be at least 1/],
    [{ capacity: 51 }, /at capacity: must be at most 50/],
  ];
  for (const [bad, message] of badSignIns) {
    const req = { agent_id: "vera", display_name: "", skills: ["human.billing"], capacity: 1, ...bad };
    const refused = await collect(deskA.signIn(req as never, auth(TOKENS.desk))).ended;
    assert.equal(refused?.code, status.INVALID_ARGUMENT, JSON.stringify(bad));
    assert.match(refused?.details ?? "", message);
  }
  assert.equal(await board.getAgent("vera"), undefined);

  const sent = await customerCase("malformed-cust");
  const work = await offer("vera", sent);
  const noOffer = await callFails(deskA, "accept", { agent_id: "vera", offer_id: "" }, TOKENS.desk);
  assert.equal(noOffer.code, status.INVALID_ARGUMENT);
  assert.match(noOffer.details, /at offer_id: is required/);
  assert.equal((await call(deskA, "accept", { agent_id: "vera", offer_id: work.offerId }, TOKENS.desk)).ok, true);
  for (const [text, message] of [["", /at text: is required/], ["   ", /at text: must not be only whitespace/], ["bell\u0007", /at text: must not contain control/], ["x".repeat(16_001), /at text: must be at most 16000/]] as const) {
    const refused = await callFails(deskA, "reply", { agent_id: "vera", offer_id: work.offerId, text }, TOKENS.desk);
    assert.equal(refused.code, status.INVALID_ARGUMENT);
    assert.match(refused.details, message);
  }
  const noResolution = await callFails(deskA, "resolve", { agent_id: "vera", offer_id: work.offerId, resolution: "" }, TOKENS.desk);
  assert.match(noResolution.details, /at resolution: is required/);
  const noNote = await callFails(deskA, "handBack", { agent_id: "vera", offer_id: work.offerId, note: "" }, TOKENS.desk);
  assert.match(noNote.details, /at note: is required/);
  assert.equal((await factsOf(sent.case_id, "reply.drafted", Number(sent.seq))).length + (await factsOf(sent.case_id, "case.resolved", Number(sent.seq))).length, 0);
  assert.equal((await stateOf(work.offerId))?.state, "accepted");
});

test("another agent's offer is PERMISSION_DENIED, an unknown one NOT_FOUND, and a reply before accepting FAILED_PRECONDITION", async () => {
  const sent = await customerCase("owned-cust");
  const work = await offer("olga", sent);
  const theirs = await callFails(deskA, "accept", { agent_id: "mallory", offer_id: work.offerId }, TOKENS.desk);
  assert.equal(theirs.code, status.PERMISSION_DENIED);
  assert.match(theirs.details, /another agent/);
  const unknown = await callFails(deskA, "accept", { agent_id: "olga", offer_id: "olga.no-such-offer" }, TOKENS.desk);
  assert.equal(unknown.code, status.NOT_FOUND);
  const early = await callFails(deskA, "reply", { agent_id: "olga", offer_id: work.offerId, text: "Hi, I am here" }, TOKENS.desk);
  assert.equal(early.code, status.FAILED_PRECONDITION);
  assert.match(early.details, /offered/);
  assert.equal((await stateOf(work.offerId))?.state, "offered");
  assert.equal((await factsOf(sent.case_id, "reply.drafted", Number(sent.seq))).length, 0);
});
