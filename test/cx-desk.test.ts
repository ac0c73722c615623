import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { ClientReadableStream } from "@grpc/grpc-js";
import { BlackboardClient } from "../blackboard/client.ts";
import type { StoredFact } from "../blackboard/index.ts";
import type { DeskEvent__Output } from "../gateway/generated/casemesh/v1/DeskEvent.ts";
import { createLogger } from "../observability/logger.ts";
import { createRegistry } from "../observability/metrics-server.ts";
import { ABANDONED_METRIC, ABSENCE_NOTE } from "../peers/cx/desk-absence.ts";
import { deskPeer, openDeskAccess } from "../peers/cx/desk.ts";
import { RulesReasoner } from "../peers/cx/reasoners/index.ts";
import { TOKENS, auth, call, callFails, channelClient, collect, deskClient, startGateway } from "./harness/gateway.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";
import { TEST_HEARTBEAT_MS, startHost, testWriter } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { peerEnv, spawnTs } from "./harness/processes.ts";
import { startReplica } from "./harness/replica.ts";
import { caseFactsWhen, eventually, needFacts } from "./harness/wait.ts";

// One nats-server, a blackboard replica, a real gateway (customers and the
// agent desk talk gRPC to it), and the desk peer in a real PeerHost. The test
// writes the human.billing needs as the billing peer would.
const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gateway = await startGateway(nc);
const desk = deskClient(gateway.address);
const customers = channelClient(gateway.address);
const blackboard = new BlackboardClient(nc);
const writer = await testWriter(nc);
const access = await openDeskAccess(nc, createLogger({ role: "test", level: "silent" }));
after(() => access.close());

const PEER = "desk-test";
const RESERVATION_MS = 2_000;
/** How long the suite's desk peer lets an agent holding a case be away from the desk. */
const GRACE_MS = 300;
const registry = createRegistry();
await startHost(
  nc,
  [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { id: PEER, reservationMs: RESERVATION_MS, absenceGraceMs: GRACE_MS, capabilities: ["human.billing", "human.review"] } })],
  { registry },
);

type Data = Record<string, unknown>;
type Offer = NonNullable<DeskEvent__Output["offer"]>;

/** A customer's chat message through the gateway, opening (or continuing) their case. */
async function customerSays(address: string, text: string, n = 1) {
  return call(customers, "send", { channel: "CHAT", address, text, client_message_id: `${address}-${n}` }, TOKENS.chat);
}

/** What billing writes for a refund above its threshold: escalation.requested and a human.billing need. */
async function billingEscalates(caseId: string, needId: string, reason = "Broadband October was charged 2 times (ch-1, ch-2); a refund of €250.00 is above the €100.00 a peer may credit") {
  await writer.append({ caseId, kind: "escalation.requested", data: { capability: "human.billing", reason, priority: "normal" } }, { msgId: `${needId}.escalation` });
  const opened = await writer.append(
    {
      caseId,
      kind: "need.opened",
      needId,
      data: {
        needId,
        capability: "human.billing",
        input: { reason, accountId: "acc-1001", chargeIds: ["ch-2"], amount: { amountMinor: 25_000, currency: "EUR" } },
        requires: [],
        attempt: 1,
        fallback: null,
      },
    },
    { msgId: `${needId}.opened` },
  );
  return opened.seq;
}

/** An open SignIn stream, once `signed_in` has arrived. */
async function signIn(agentId: string, skills: string[] = ["human.billing"], capacity = 2) {
  const stream: ClientReadableStream<DeskEvent__Output> = desk.signIn({ agent_id: agentId, display_name: "", skills, capacity }, auth(TOKENS.desk));
  const events = collect(stream);
  after(() => stream.cancel());
  await eventually(`${agentId} signed in`, async () => (events.items.some((e) => e.kind === "signed_in") ? true : undefined));
  return {
    ...events,
    /** The offer of `needId` on this stream, once it arrives. */
    offerOf: (needId: string, timeoutMs = 10_000) => eventually(`an offer of ${needId} to ${agentId}`, async () => events.items.find((e) => e.offer?.need_id === needId)?.offer ?? undefined, timeoutMs),
    offers: () => events.items.flatMap((e) => (e.offer ? [e.offer] : [])),
    async signOut() {
      stream.cancel();
      await events.ended;
    },
  };
}

const decide = (agentId: string, offer: Offer, how: "accept" | "decline") => call(desk, how, { agent_id: agentId, offer_id: offer.offer_id }, TOKENS.desk);

async function factsOf(caseId: string): Promise<StoredFact[]> {
  return (await blackboard.getCase({ caseId })).facts;
}

/** The human.billing needs opened on a case, oldest first. */
const humanNeeds = (facts: StoredFact[]) => facts.filter((f) => f.fact.kind === "need.opened" && (f.fact.data as Data)["capability"] === "human.billing");

test("a credit above the threshold goes to a signed-in agent with a summary and the timeline; the agent accepts, replies on the customer's current channel and resolves; the need is done", async () => {
  const chat = await customerSays("dina", "I was charged twice for broadband in October, card 4111 1111 1111 1111");
  await call(customers, "linkAddress", { known_channel: "CHAT", known_address: "dina", channel: "VOICE", address: "+15550101234", verified: true }, TOKENS.voice);
  const voice = await call(customers, "send", { channel: "VOICE", address: "+15550101234", text: "Calling about the double charge", client_message_id: "dina-call-1" }, TOKENS.voice);
  assert.equal(voice.case_id, chat.case_id);
  const caseId = chat.case_id;
  const ada = await signIn("ada");

  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);
  const offer = await ada.offerOf(needId);

  // The desk peer won the auction, and its bid is on the record.
  const claimed = needFacts(await factsOf(caseId), "need.claimed", needId).map((f) => f.fact.data as { peer: string; bids: { peer: string }[] });
  assert.equal(claimed.length, 1);
  assert.equal(claimed[0]?.peer, PEER);
  assert.deepEqual(claimed[0]?.bids.map((b) => b.peer), [PEER]);

  // The summary says why a person is needed and what the customer said, without the card number.
  assert.equal(offer.case_id, caseId);
  assert.equal(offer.capability, "human.billing");
  assert.match(offer.summary, /^Why a person: Broadband October was charged 2 times/);
  assert.match(offer.summary, /charged twice for broadband in October/);
  assert.match(offer.summary, /Calling about the double charge/);
  assert.ok(!offer.summary.includes("4111 1111 1111 1111"), "the card number is redacted");
  assert.match(offer.summary, /\[card \*\*\*\*1111\]/);
  // The timeline holds everything the customer said, on both channels: nobody asks again.
  assert.equal(offer.timeline?.case_id, caseId);
  assert.equal(offer.timeline?.current_channel, "VOICE");
  const said = offer.timeline?.facts.filter((f) => f.kind === "message.received").map((f) => (JSON.parse(f.data_json) as { text: string }).text);
  assert.equal(said?.length, 2);
  assert.match(said?.[0] ?? "", /charged twice for broadband/);
  assert.equal(said?.[1], "Calling about the double charge");

  assert.deepEqual(await decide("ada", offer, "accept"), { ok: true, case_id: caseId });
  const text = "I have refunded the duplicate October charge of €250; you will see it within 3 days.";
  const reply = await call(desk, "reply", { agent_id: "ada", offer_id: offer.offer_id, text }, TOKENS.desk);
  assert.equal(reply.channel, "VOICE", "the reply goes to the channel the customer is on now");
  // The step holds the need while the person works on it.
  const before = await factsOf(caseId);
  assert.equal(needFacts(before, "need.done", needId).length, 0, "the need is not done before the case is resolved");

  const resolved = await call(desk, "resolve", { agent_id: "ada", offer_id: offer.offer_id, resolution: "Refunded the duplicate charge ch-2" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  const done = needFacts(facts, "need.done", needId)[0]!;
  assert.equal((done.fact.data as Data)["peer"], PEER);
  assert.ok(done.seq > Number(resolved.seq), "the need is done after the case was resolved");
  const drafted = facts.filter((f) => f.fact.kind === "reply.drafted").map((f) => f.fact.data as Data);
  assert.deepEqual(drafted.map((d) => [d["channel"], d["text"]]), [["voice", text]]);
  assert.deepEqual(facts.filter((f) => f.fact.kind === "case.resolved").map((f) => f.fact.data), [{ resolution: "Refunded the duplicate charge ch-2", by: "ada" }]);
  assert.equal((await blackboard.getCaseBrief({ caseId, minSeq: done.seq })).case.status, "resolved");
  assert.equal(humanNeeds(facts).length, 1, "nothing went back to auction");
  assert.equal(ada.offers().length, 1);
  await ada.signOut();
});

test("with no agent signed in with the skill, the need waits unserved (the desk peer declines to bid); it is served once such an agent signs in", async () => {
  const sent = await customerSays("ezra", "You took my payment twice");
  const caseId = sent.case_id;
  // Signed in, but for another capability.
  const rex = await signIn("rex", ["human.review"]);
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);

  // Several auction rounds pass without a claim or an offer.
  await new Promise((r) => setTimeout(r, TEST_HEARTBEAT_MS * 5));
  const waiting = await factsOf(caseId);
  assert.equal(needFacts(waiting, "need.claimed", needId).length, 0, "nobody claimed the need");
  assert.equal(needFacts(waiting, "need.done", needId).length + needFacts(waiting, "need.failed", needId).length, 0);
  assert.equal(rex.offers().length, 0, "an agent without the skill is offered nothing");

  const bea = await signIn("bea");
  const offer = await bea.offerOf(needId);
  assert.equal(offer.case_id, caseId);
  assert.match(offer.summary, /You took my payment twice/);
  assert.deepEqual(await decide("bea", offer, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "bea", offer_id: offer.offer_id, resolution: "Refunded" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  assert.deepEqual(needFacts(facts, "need.claimed", needId).map((f) => (f.fact.data as Data)["peer"]), [PEER]);
  assert.equal(rex.offers().length, 0);
  await bea.signOut();
  await rex.signOut();
});

test("a reservation not accepted in time goes back to auction and is offered to the other agent, who accepts and resolves", async () => {
  const sent = await customerSays("fern", "Double charge on my bill");
  const caseId = sent.case_id;
  const agents = { cy: await signIn("cy", ["human.billing"], 1), dee: await signIn("dee", ["human.billing"], 1) };
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);

  const first = await eventually("the first offer", async () => {
    for (const [id, a] of Object.entries(agents)) {
      const o = a.offers().find((x) => x.need_id === needId);
      if (o !== undefined) return { id: id as keyof typeof agents, offer: o };
    }
    return undefined;
  });
  const other = first.id === "cy" ? "dee" : "cy";
  // Nobody accepts: the reservation lapses and the offer is withdrawn.
  const withdrawn = await eventually(
    "the lapsed offer withdrawn",
    async () => agents[first.id].items.find((e) => e.withdrawn?.offer_id === first.offer.offer_id)?.withdrawn ?? undefined,
    RESERVATION_MS + 5_000,
  );
  assert.match(withdrawn.reason, /expired/);
  assert.equal((await access.board.getOffer(first.offer.offer_id))?.value.state, "expired");
  const late = await decide(first.id, first.offer, "accept");
  assert.equal(late.ok, false, "a lapsed offer cannot be accepted");

  // Back to auction: the need is handed on as a new need that remembers who let it lapse.
  const reopened = await eventually("the need re-opened", async () => humanNeeds(await factsOf(caseId))[1]);
  const reopenedData = reopened.fact.data as { needId: string; input: Data };
  assert.equal(reopened.fact.needId, needId, "the first need's step opened it");
  assert.deepEqual(reopenedData.input["passedOver"], [first.id]);
  assert.equal(reopenedData.input["accountId"], "acc-1001", "billing's input is carried on");
  const second = await agents[other].offerOf(reopenedData.needId);
  assert.equal(second.case_id, caseId);
  assert.ok(second.offer_id.startsWith(`${other}.`));
  assert.equal(agents[first.id].offers().length, 1, "the agent who let it lapse is not offered it again while another can take it");

  assert.deepEqual(await decide(other, second, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: other, offer_id: second.offer_id, resolution: "Refunded" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", reopenedData.needId).length === 1, 10_000);
  assert.equal(needFacts(facts, "need.done", needId).length, 1, "the lapsed need was handed on, not left open");
  assert.equal(needFacts(facts, "need.claimed", reopenedData.needId).length, 1, "the re-opened need was auctioned");
  assert.equal(humanNeeds(facts).length, 2);
  assert.equal((await blackboard.getCaseBrief({ caseId, minSeq: facts.at(-1)!.seq })).case.status, "resolved");
  await agents.cy.signOut();
  await agents.dee.signOut();
});

test("a lone agent who declines, then hands the case back with a note, is offered it again with the note in the summary", async () => {
  const sent = await customerSays("gus", "Charged twice again");
  const caseId = sent.case_id;
  const eve = await signIn("eve");
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);

  const first = await eve.offerOf(needId);
  assert.deepEqual(await decide("eve", first, "decline"), { ok: true, case_id: caseId });
  // Nobody else is signed in: the re-opened need comes back to eve.
  const round2 = await eventually("the need re-opened after the decline", async () => humanNeeds(await factsOf(caseId))[1]);
  const need2 = (round2.fact.data as { needId: string }).needId;
  const second = await eve.offerOf(need2);
  assert.notEqual(second.offer_id, first.offer_id);
  assert.deepEqual(await decide("eve", second, "accept"), { ok: true, case_id: caseId });
  await call(desk, "handBack", { agent_id: "eve", offer_id: second.offer_id, note: "Customer wants to talk to a supervisor about the refund" }, TOKENS.desk);

  const round3 = await eventually("the need re-opened after the hand-back", async () => humanNeeds(await factsOf(caseId))[2]);
  const input3 = (round3.fact.data as { input: Data }).input;
  assert.deepEqual(input3["handBack"], { agentId: "eve", note: "Customer wants to talk to a supervisor about the refund" });
  const third = await eve.offerOf((round3.fact.data as { needId: string }).needId);
  assert.match(third.summary, /Handed back by eve: Customer wants to talk to a supervisor about the refund/);
  assert.deepEqual(await decide("eve", third, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "eve", offer_id: third.offer_id, resolution: "Supervisor approved the refund" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", third.need_id).length === 1, 10_000);
  assert.equal(humanNeeds(facts).length, 3);
  assert.equal(facts.filter((f) => f.fact.kind === "need.done").length, 3, "each round's need is settled once");
  await eve.signOut();
});

test("the case goes to the agent who already worked on it, when they have room, before an agent who would sort first", async () => {
  const sent = await customerSays("lena", "Still charged twice");
  const caseId = sent.case_id;
  // Zed answered this customer on this case at the desk earlier.
  await writer.append(
    { caseId, kind: "reply.drafted", source: { peer: "desk:zed", capability: "human.billing", version: "1" }, data: { channel: "chat", text: "Looking into it", replyTo: null } },
    { msgId: `${caseId}.zed-reply` },
  );
  const amy = await signIn("amy");
  const zed = await signIn("zed");
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);
  const offer = await zed.offerOf(needId);
  assert.equal(amy.offers().length, 0, "the agent with as much room but no history with the case is not offered it");
  assert.deepEqual(await decide("zed", offer, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "zed", offer_id: offer.offer_id, resolution: "Refunded" }, TOKENS.desk);
  await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  await amy.signOut();
  await zed.signOut();
});

test("an offer to an agent who left the desk is expired by the desk peer at the end of its reservation and goes to an agent who is there", async () => {
  const sent = await customerSays("hugo", "I see the same charge twice");
  const caseId = sent.case_id;
  const hal = await signIn("hal", ["human.billing"], 1);
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);
  const first = await hal.offerOf(needId);
  // Hal closes the desktop: no gateway watches the offer any more.
  await hal.signOut();
  const ivy = await signIn("ivy", ["human.billing"], 1);

  const round2 = await eventually("the need re-opened", async () => humanNeeds(await factsOf(caseId))[1], RESERVATION_MS + 5_000);
  const lapsed = (await access.board.getOffer(first.offer_id))?.value;
  assert.equal(lapsed?.state, "expired");
  assert.equal(lapsed?.note, "the reservation expired");
  assert.deepEqual((round2.fact.data as { input: Data }).input["passedOver"], ["hal"]);
  const second = await ivy.offerOf((round2.fact.data as { needId: string }).needId);
  assert.deepEqual(await decide("ivy", second, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "ivy", offer_id: second.offer_id, resolution: "Refunded" }, TOKENS.desk);
  await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", second.need_id).length === 1, 10_000);
  await ivy.signOut();
});

test("when the desk peer holding an accepted case drains, the next holder of the need carries on with the same offer; the resolve settles the need once", async () => {
  // A desk peer of its own for human.triage, which the suite's peer does not serve.
  const config = { reservationMs: RESERVATION_MS, capabilities: ["human.triage"] };
  const first = await startHost(nc, [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { ...config, id: "desk-first" } })]);
  const sent = await customerSays("ines", "Nobody answers my emails about the refund");
  const caseId = sent.case_id;
  const joy = await signIn("joy", ["human.triage"], 1);
  // With room for one case only, a later holder that did not find the accepted offer would see no room and re-open the need.
  const needId = `${caseId}.human-triage`;
  await writer.append(
    { caseId, kind: "need.opened", needId, data: { needId, capability: "human.triage", input: { reason: "The customer asked for a person" }, requires: [], attempt: 1, fallback: null } },
    { msgId: `${needId}.opened` },
  );
  const offer = await joy.offerOf(needId);
  assert.deepEqual(await decide("joy", offer, "accept"), { ok: true, case_id: caseId });

  // The holder drains with no grace: its step is aborted and its claim released; the offer stays accepted.
  await first.drain(0);
  assert.equal((await access.board.getOffer(offer.offer_id))?.value.state, "accepted");
  await startHost(nc, [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { ...config, id: "desk-second" } })]);
  await eventually("the need awarded again", async () => {
    const claims = needFacts(await factsOf(caseId), "need.claimed", needId).map((f) => (f.fact.data as Data)["peer"]);
    return claims.includes("desk-second") ? claims : undefined;
  });
  const resolved = await call(desk, "resolve", { agent_id: "joy", offer_id: offer.offer_id, resolution: "Called the customer back" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  const done = needFacts(facts, "need.done", needId)[0]!;
  assert.equal((done.fact.data as Data)["peer"], "desk-second", "the second holder settled the need");
  assert.ok(done.seq > Number(resolved.seq));
  assert.equal(joy.offers().length, 1, "the agent was not offered the case a second time");
  assert.equal(facts.filter((f) => f.fact.kind === "need.opened").length, 2, "the intake need and this one: nothing re-opened");
  await joy.signOut();
});

test("the desk peer runs as its own process from its environment, serves a signed-in agent, and drains on SIGTERM", async () => {
  const proc = spawnTs(
    "peers/cx/desk.ts",
    peerEnv(server.url, { PEER_ID: "desk-proc", CASEMESH_HOST_ID: "host-desk-proc", CASEMESH_DESK_CAPABILITIES: "human.vip", CASEMESH_DESK_RESERVATION_MS: "7000" }),
  );
  const ready = await proc.waitForLog((l) => l["msg"] === "peers ready", 30_000);
  assert.deepEqual(ready["peers"], ["desk-proc"]);
  const sent = await customerSays("kira", "I want to speak to someone about my VIP plan");
  const caseId = sent.case_id;
  const kai = await signIn("kai", ["human.vip"]);
  const needId = `${caseId}.human-vip`;
  await writer.append(
    { caseId, kind: "need.opened", needId, data: { needId, capability: "human.vip", input: { reason: "VIP customer asked for a person" }, requires: [], attempt: 1, fallback: null } },
    { msgId: `${needId}.opened` },
  );
  const offer = await kai.offerOf(needId, 20_000);
  const reserved = Date.parse(offer.expires_at) - Date.now();
  assert.ok(reserved > 4_000 && reserved <= 7_000, `the reservation comes from CASEMESH_DESK_RESERVATION_MS (${reserved} ms left)`);
  assert.match(offer.summary, /^Why a person: VIP customer asked for a person/);
  assert.deepEqual(await decide("kai", offer, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "kai", offer_id: offer.offer_id, resolution: "Upgraded the plan" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  assert.equal((needFacts(facts, "need.done", needId)[0]?.fact.data as Data)["peer"], "desk-proc");
  proc.kill("SIGTERM");
  assert.equal(await proc.exited, 0);
  await kai.signOut();
});

/** The human needs of a case whose input says `agentId` handed it back. */
const handBacksBy = (facts: StoredFact[], agentId: string) =>
  facts.filter((f) => f.fact.kind === "need.opened" && ((f.fact.data as { input: Data }).input["handBack"] as Data | undefined)?.["agentId"] === agentId);

test("an agent who signs out holding an accepted case has it handed back after the grace; it goes back to auction, another agent resolves it, and the hand-back is on the case once", async () => {
  const sent = await customerSays("olga", "My refund never arrived and I was charged twice");
  const caseId = sent.case_id;
  const mo = await signIn("mo", ["human.billing"], 1);
  const needId = `${caseId}.human-billing`;
  await billingEscalates(caseId, needId);
  const first = await mo.offerOf(needId);
  assert.deepEqual(await decide("mo", first, "accept"), { ok: true, case_id: caseId });
  const nia = await signIn("nia", ["human.billing"], 1);
  // Mo holds the case: waiting on it, the desk peer hands nothing back while mo is at the desk.
  await new Promise((r) => setTimeout(r, GRACE_MS * 3));
  assert.equal(humanNeeds(await factsOf(caseId)).length, 1, "an agent at the desk keeps the case");

  // Mo's desktop goes away with the case accepted.
  const left = Date.now();
  await mo.signOut();
  const round2 = await eventually("the need re-opened after mo left", async () => humanNeeds(await factsOf(caseId))[1], 10_000);
  const tookMs = Date.now() - left;
  assert.ok(tookMs >= GRACE_MS, `handed back only after the grace (${tookMs} ms)`);
  const input2 = (round2.fact.data as { needId: string; input: Data }).input;
  assert.deepEqual(input2["handBack"], { agentId: "mo", note: ABSENCE_NOTE }, "the same hand-back a desk HandBack makes, with the desk peer's note");
  assert.deepEqual(input2["passedOver"], ["mo"]);
  assert.equal(input2["accountId"], "acc-1001", "billing's input is carried on");
  const closed = (await access.board.getOffer(first.offer_id))?.value;
  assert.equal(closed?.state, "handed_back", "mo's offer is closed on the desk board");
  assert.equal(closed?.note, ABSENCE_NOTE);

  // Back to auction: nia is offered it, with the hand-back in the summary, and resolves it.
  const need2 = (round2.fact.data as { needId: string }).needId;
  const second = await nia.offerOf(need2);
  assert.ok(second.summary.includes(`Handed back by mo: ${ABSENCE_NOTE}`), second.summary);
  assert.deepEqual(await decide("nia", second, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "nia", offer_id: second.offer_id, resolution: "Refunded the duplicate charge" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", need2).length === 1, 10_000);
  assert.equal(needFacts(facts, "need.done", needId).length, 1, "mo's need was settled once");
  assert.equal(handBacksBy(facts, "mo").length, 1, "the hand-back is on the case once");
  assert.equal(humanNeeds(facts).length, 2);
  assert.deepEqual(facts.filter((f) => f.fact.kind === "case.resolved").map((f) => (f.fact.data as Data)["by"]), ["nia"]);

  // Mo, back at the desk, no longer holds the case and is not offered it.
  const moAgain = await signIn("mo", ["human.billing"], 1);
  const stale = await callFails(desk, "resolve", { agent_id: "mo", offer_id: first.offer_id, resolution: "Refunded" }, TOKENS.desk);
  assert.equal(stale.code, 9, "FAILED_PRECONDITION: the case was handed back");
  assert.equal(moAgain.offers().length, 0);

  const body = await registry.metrics();
  assert.equal(sample(body, ABANDONED_METRIC, { capability: "human.billing" }), 1);
  assertPromtoolClean(body);
  await moAgain.signOut();
  await nia.signOut();
});

test("an agent whose presence blips (signed out, back within the grace) keeps the accepted case: nothing is handed back", async () => {
  // A desk peer of its own with a grace long enough to sign in again within it.
  const graceMs = 1_500;
  await startHost(nc, [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { id: "desk-blip", reservationMs: RESERVATION_MS, absenceGraceMs: graceMs, capabilities: ["human.retention"] } })], { registry });
  const sent = await customerSays("pam", "I want to cancel unless you fix my bill");
  const caseId = sent.case_id;
  const pia = await signIn("pia", ["human.retention"], 1);
  const needId = `${caseId}.human-retention`;
  await writer.append(
    { caseId, kind: "need.opened", needId, data: { needId, capability: "human.retention", input: { reason: "The customer threatens to cancel" }, requires: [], attempt: 1, fallback: null } },
    { msgId: `${needId}.opened` },
  );
  const offer = await pia.offerOf(needId);
  assert.deepEqual(await decide("pia", offer, "accept"), { ok: true, case_id: caseId });

  // The desktop restarts: pia is gone from the desk, then signs in again.
  const left = Date.now();
  await pia.signOut();
  await eventually("pia gone from the desk", async () => (access.agents.present("pia") ? undefined : true), 5_000, 10);
  const back = await signIn("pia", ["human.retention"], 1);
  const awayMs = Date.now() - left;
  assert.ok(awayMs < graceMs, `back within the grace (${awayMs} ms)`);

  // Well past the grace since the sign-out, the case is still pia's.
  await new Promise((r) => setTimeout(r, graceMs * 2 - (Date.now() - left)));
  const during = await factsOf(caseId);
  assert.equal(needFacts(during, "need.done", needId).length, 0, "the need is still held");
  assert.equal(during.filter((f) => f.fact.kind === "need.opened").length, 2, "the intake need and this one: nothing handed back");
  assert.equal((await access.board.getOffer(offer.offer_id))?.value.state, "accepted");
  assert.equal(sample(await registry.metrics(), ABANDONED_METRIC, { capability: "human.retention" }), 0, "nothing counted as abandoned");

  await call(desk, "resolve", { agent_id: "pia", offer_id: offer.offer_id, resolution: "Discount applied; staying" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", needId).length === 1, 10_000);
  assert.equal(handBacksBy(facts, "pia").length, 0);
  assert.equal(back.offers().length, 0, "the case was not offered again");
  await back.signOut();
});

test("a desk peer that takes over a need whose agent left holding the accepted case finds the offer and hands it back once", async () => {
  // The first holder waits the default grace (30 s); it drains before then.
  const config = { reservationMs: RESERVATION_MS, capabilities: ["human.claims"] };
  const first = await startHost(nc, [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { ...config, id: "desk-claims-1" } })], { registry });
  const sent = await customerSays("quin", "My claim for the broken router is stuck");
  const caseId = sent.case_id;
  const rae = await signIn("rae", ["human.claims"], 1);
  const needId = `${caseId}.human-claims`;
  await writer.append(
    { caseId, kind: "need.opened", needId, data: { needId, capability: "human.claims", input: { reason: "A claim needs a person" }, requires: [], attempt: 1, fallback: null } },
    { msgId: `${needId}.opened` },
  );
  const offer = await rae.offerOf(needId);
  assert.deepEqual(await decide("rae", offer, "accept"), { ok: true, case_id: caseId });
  await rae.signOut();
  await first.drain(0);
  assert.equal((await access.board.getOffer(offer.offer_id))?.value.state, "accepted", "nothing handed back before the grace");

  // A second desk peer (short grace) is awarded the need again while rae is away and another agent is there.
  const sid = await signIn("sid", ["human.claims"], 1);
  await startHost(nc, [deskPeer({ desk: access, reasoner: new RulesReasoner(), config: { ...config, id: "desk-claims-2", absenceGraceMs: GRACE_MS } })], { registry });
  const round2 = await eventually("the need re-opened", async () => handBacksBy(await factsOf(caseId), "rae")[0], 15_000);
  const need2 = (round2.fact.data as { needId: string }).needId;
  assert.equal(round2.fact.needId, needId);
  assert.equal((await access.board.getOffer(offer.offer_id))?.value.state, "handed_back");
  const second = await sid.offerOf(need2);
  assert.deepEqual(await decide("sid", second, "accept"), { ok: true, case_id: caseId });
  await call(desk, "resolve", { agent_id: "sid", offer_id: second.offer_id, resolution: "Claim approved" }, TOKENS.desk);
  const facts = await caseFactsWhen(blackboard, caseId, (fs) => needFacts(fs, "need.done", need2).length === 1, 10_000);
  assert.deepEqual(needFacts(facts, "need.done", needId).map((f) => (f.fact.data as Data)["peer"]), ["desk-claims-2"]);
  assert.equal(handBacksBy(facts, "rae").length, 1, "handed back once");
  assert.equal(sample(await registry.metrics(), ABANDONED_METRIC, { capability: "human.claims" }), 1);
  await sid.signOut();
});
