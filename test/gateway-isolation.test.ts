import assert from "node:assert/strict";
import { test } from "node:test";
import { status } from "@grpc/grpc-js";
import { DeskBoard } from "../blackboard/desk-board.ts";
import type { CaseEvent__Output } from "../gateway/generated/casemesh/v1/CaseEvent.ts";
import type { SessionEvent__Output } from "../gateway/generated/casemesh/v1/SessionEvent.ts";
import type { Timeline__Output } from "../gateway/generated/casemesh/v1/Timeline.ts";
import { TOKENS, auth, call, callFails, channelClient, collect, startGateway } from "./harness/gateway.ts";
import { startHost, testPeer, testWriter } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { eventually } from "./harness/wait.ts";

/**
 * Case isolation at the gateway, as the attacks it defends against. A chat
 * back end is trusted for all its customers, but it reads a case only for
 * the customer whose address it names, and then only what that customer
 * sees; case ids are derived from addresses, so knowing one is not enough.
 * The operator reads everything; a desk reads the cases offered to its agent.
 */

const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gateway = await startGateway(nc);
const client = channelClient(gateway.address);
const board = await DeskBoard.open(nc);

/** The peer that serves every message's first step, so the cases carry a real auction with bids. */
const PEER = "isolation-intent-1";
await startHost(nc, [
  testPeer(PEER, "intent", async () => ({
    facts: [{ kind: "reply.drafted", data: { channel: "chat", text: "Thanks, we are looking into it.", replyTo: null } }],
  })),
]);

/** Customer A, whose case the attacks go after, and customer B, whose back end mounts them. */
const A = "chat-alice";
const B = "chat-bob";
const alice = await call(client, "send", { channel: "CHAT", address: A, text: "My IBAN is DE89 3704 0044 0532 0130 00", client_message_id: "alice-1" }, TOKENS.chat);
const bob = await call(client, "send", { channel: "CHAT", address: B, text: "Hello", client_message_id: "bob-1" }, TOKENS.chat);

/** The operator's timeline of `caseId` once its first step was handed off and answered. */
async function answered(caseId: string): Promise<Timeline__Output> {
  return eventually(`case ${caseId} answered`, async () => {
    const t = await call(client, "getTimeline", { case_id: caseId }, TOKENS.operator);
    return t.handoffs.length > 0 && t.facts.some((f) => f.kind === "reply.drafted") ? t : undefined;
  });
}
const aliceFull = await answered(alice.case_id);
await answered(bob.case_id);

/** Everything a watch streams within `ms`, then the watch is cancelled. */
async function watchFor(request: object, token: string, ms = 500): Promise<{ items: CaseEvent__Output[]; code: number | undefined }> {
  const stream = client.watchCase(request, auth(token));
  const watch = collect(stream);
  const timer = setTimeout(() => stream.cancel(), ms);
  const ended = await watch.ended;
  clearTimeout(timer);
  return { items: watch.items, code: ended?.code };
}

test("a chat back end acting for B cannot read A's case: GetTimeline and WatchCase answer NOT_FOUND, word for word as for a case that does not exist", async () => {
  const stolen = await callFails(client, "getTimeline", { case_id: alice.case_id, channel: "CHAT", address: B }, TOKENS.chat);
  assert.equal(stolen.code, status.NOT_FOUND);
  const missing = "cu-nobody-here-1";
  const none = await callFails(client, "getTimeline", { case_id: missing, channel: "CHAT", address: B }, TOKENS.chat);
  assert.equal(none.code, status.NOT_FOUND);
  assert.equal(stolen.details.replace(alice.case_id, "<case>"), none.details.replace(missing, "<case>"), "no oracle for which case ids exist");
  assert.doesNotMatch(stolen.details, /IBAN|DE89|alice/i);

  const watched = await watchFor({ case_id: alice.case_id, after_seq: "0", channel: "CHAT", address: B }, TOKENS.chat);
  assert.equal(watched.code, status.NOT_FOUND);
  assert.equal(watched.items.length, 0, "not one of A's events reaches B's back end");
  // An address nobody has used yet is no key either.
  const fresh = await callFails(client, "getTimeline", { case_id: alice.case_id, channel: "CHAT", address: "chat-never-seen" }, TOKENS.chat);
  assert.equal(fresh.code, status.NOT_FOUND);
  // Nor is another channel's view of a case that is not the caller's customer's.
  const viaVoice = await callFails(client, "getTimeline", { case_id: alice.case_id, channel: "VOICE", address: "+15550100001" }, TOKENS.voice);
  assert.equal(viaVoice.code, status.NOT_FOUND);
});

test("a chat back end naming no address, no channel, or a channel it does not speak for reads nothing", async () => {
  const noAddress = await callFails(client, "getTimeline", { case_id: alice.case_id, channel: "CHAT" }, TOKENS.chat);
  assert.equal(noAddress.code, status.INVALID_ARGUMENT);
  assert.match(noAddress.details, /GetTimelineRequest is invalid at address: is required/);
  const bare = await callFails(client, "getTimeline", { case_id: alice.case_id }, TOKENS.chat);
  assert.equal(bare.code, status.INVALID_ARGUMENT);
  assert.match(bare.details, /at channel: is required/);
  const asEmail = await callFails(client, "getTimeline", { case_id: alice.case_id, channel: "EMAIL", address: "alice@example.com" }, TOKENS.chat);
  assert.equal(asEmail.code, status.PERMISSION_DENIED);
  assert.match(asEmail.details, /credential chat-backend may not act for the email channel/);
  const asAgent = await callFails(client, "getTimeline", { case_id: alice.case_id, agent_id: "noor" }, TOKENS.chat);
  assert.equal(asAgent.code, status.PERMISSION_DENIED, "a channel credential cannot pose as a desk");

  const watchNoAddress = await watchFor({ case_id: alice.case_id, after_seq: "0", channel: "CHAT" }, TOKENS.chat);
  assert.equal(watchNoAddress.code, status.INVALID_ARGUMENT);
  assert.equal(watchNoAddress.items.length, 0);
  const watchAsVoice = await watchFor({ case_id: alice.case_id, after_seq: "0", channel: "VOICE", address: "+15550100001" }, TOKENS.chat);
  assert.equal(watchAsVoice.code, status.PERMISSION_DENIED);
  assert.equal(watchAsVoice.items.length, 0);
});

test("acting for A, the chat back end reads A's case as A sees it: the conversation, with no need, bid, handoff or peer id", async () => {
  const view = await call(client, "getTimeline", { case_id: alice.case_id, channel: "CHAT", address: A }, TOKENS.chat);
  assert.equal(view.case_id, alice.case_id);
  assert.equal(view.last_seq, aliceFull.last_seq, "the view is of the same version, so a watch resumes from it");
  assert.deepEqual(
    view.facts.map((f) => f.kind),
    aliceFull.facts.filter((f) => ["case.opened", "message.received", "reply.drafted", "reply.delivered", "case.resolved"].includes(f.kind)).map((f) => f.kind),
  );
  assert.ok(view.facts.some((f) => f.kind === "reply.drafted" && JSON.parse(f.data_json).text === "Thanks, we are looking into it."));
  assert.ok(!view.facts.some((f) => f.kind.startsWith("need.")), "no need.* fact");
  assert.deepEqual(view.handoffs, [], "no handoff, so no bid");
  for (const f of view.facts) assert.deepEqual([f.source_peer, f.source_capability, f.need_id], ["", "", ""], `${f.kind} names no source or need`);
  const text = JSON.stringify(view);
  for (const internal of [PEER, "test-gw", '"tier"', "utility"]) assert.ok(!text.includes(internal), `the customer's view holds ${internal}`);

  const watched = await watchFor({ case_id: alice.case_id, after_seq: "0", channel: "CHAT", address: A }, TOKENS.chat);
  assert.equal(watched.code, status.CANCELLED, "the watch was open until the client closed it");
  assert.deepEqual(watched.items.map((e) => e.kind), ["CASE_EVENT_KIND_CASE_OPENED", "CASE_EVENT_KIND_MESSAGE_RECEIVED", "CASE_EVENT_KIND_REPLY_DRAFTED"]);
  assert.ok(!JSON.stringify(watched.items).includes(PEER) && !JSON.stringify(watched.items).includes("test-gw"), "no peer id on the watch");
});

test("an operator credential reads any case in full: every handoff with its bids, every fact with the peer that wrote it", async () => {
  const full = await call(client, "getTimeline", { case_id: bob.case_id }, TOKENS.operator);
  const handoff = full.handoffs[0];
  assert.equal(handoff?.peer, PEER);
  assert.equal(handoff?.to_capability, "intent");
  assert.ok((handoff?.bids.length ?? 0) >= 1 && handoff?.bids.every((b) => b.peer === PEER && b.utility > 0), "the bids that decided it");
  // The handoff names the winner; its need.claimed fact names the auctioneer's host as its source.
  assert.equal(handoff?.bids[0]?.peer, handoff?.peer, "the winner's bid comes first");
  assert.equal(handoff?.from_capability, "gateway", "the first need of a message is the gateway's");
  const claimed = full.facts.find((f) => f.seq === handoff?.seq);
  assert.equal(claimed?.kind, "need.claimed");
  assert.equal(claimed?.source_capability, "auction");
  assert.match(claimed?.source_peer ?? "", /^host-\d+-\d+$/, "the auctioneer's host, not the winning peer");
  assert.ok(full.facts.some((f) => f.kind === "need.opened" && f.source_peer === "test-gw"));
  assert.ok(full.facts.some((f) => f.kind === "reply.drafted" && f.source_peer === PEER && f.need_id !== ""));
  const watched = await watchFor({ case_id: alice.case_id, after_seq: "0" }, TOKENS.operator);
  assert.equal(watched.code, status.CANCELLED);
  assert.ok(watched.items.length >= 3);
});

test("a desk credential reads a case only for an agent with an offer of it that is offered or accepted", async () => {
  const noAgent = await callFails(client, "getTimeline", { case_id: alice.case_id }, TOKENS.desk);
  assert.equal(noAgent.code, status.INVALID_ARGUMENT);
  assert.match(noAgent.details, /at agent_id: is required/);
  const unoffered = await callFails(client, "getTimeline", { case_id: alice.case_id, agent_id: "noor" }, TOKENS.desk);
  assert.equal(unoffered.code, status.PERMISSION_DENIED);
  assert.match(unoffered.details, /agent_id: agent noor has no open offer of case/);

  const offer = async (agentId: string, caseId: string) =>
    (
      await board.createOffer({
        agentId,
        caseId,
        caseSeq: 1,
        needId: `${caseId}.human-review`,
        capability: "human.review",
        summary: "Please review this case.",
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      })
    ).value;
  // An offer of Bob's case to omar opens neither Alice's case to omar nor Bob's to noor.
  await offer("omar", bob.case_id);
  assert.equal((await callFails(client, "getTimeline", { case_id: alice.case_id, agent_id: "omar" }, TOKENS.desk)).code, status.PERMISSION_DENIED);
  assert.equal((await callFails(client, "getTimeline", { case_id: bob.case_id, agent_id: "noor" }, TOKENS.desk)).code, status.PERMISSION_DENIED);
  const refusedWatch = await watchFor({ case_id: alice.case_id, after_seq: "0", agent_id: "omar" }, TOKENS.desk);
  assert.equal(refusedWatch.code, status.PERMISSION_DENIED);
  assert.equal(refusedWatch.items.length, 0);

  const made = await offer("noor", alice.case_id);
  const offered = await call(client, "getTimeline", { case_id: alice.case_id, agent_id: "noor" }, TOKENS.desk);
  assert.equal(offered.handoffs[0]?.peer, PEER, "a desk reader gets the full timeline");
  const watched = await watchFor({ case_id: alice.case_id, after_seq: "0", agent_id: "noor" }, TOKENS.desk);
  assert.equal(watched.code, status.CANCELLED);
  assert.ok(watched.items.length >= 3);

  await board.transition(made.offerId, ["offered"], "accepted");
  assert.equal((await call(client, "getTimeline", { case_id: alice.case_id, agent_id: "noor" }, TOKENS.desk)).case_id, alice.case_id, "accepted: still hers to read");
  await board.transition(made.offerId, ["accepted"], "handed_back", { note: "not mine" });
  const handedBack = await callFails(client, "getTimeline", { case_id: alice.case_id, agent_id: "noor" }, TOKENS.desk);
  assert.equal(handedBack.code, status.PERMISSION_DENIED, "once handed back, the case is closed to her");
});

test("a Session B's back end opens for B's address carries none of A's replies", async () => {
  const session = client.session(auth(TOKENS.chat));
  const events: SessionEvent__Output[] = [];
  session.on("data", (e: SessionEvent__Output) => events.push(e));
  const ended = new Promise<void>((resolve) => session.on("end", () => resolve()).on("error", () => resolve()));
  session.write({ open: { channel: "CHAT", address: B, after_seq: "0" } });
  const opened = await eventually("opened", async () => events.find((e) => e.kind === "opened")?.opened ?? undefined);
  assert.equal(opened.case_id, bob.case_id);
  const writer = await testWriter(nc);
  await writer.append({ caseId: alice.case_id, kind: "reply.drafted", data: { channel: "chat", text: "Alice, your refund is on its way.", replyTo: null } });
  await writer.append({ caseId: bob.case_id, kind: "reply.drafted", data: { channel: "chat", text: "Bob, anything else?", replyTo: null } });
  await eventually("Bob's reply", async () => (events.some((e) => e.event?.text === "Bob, anything else?") ? true : undefined));
  assert.ok(!events.some((e) => e.event?.case_id === alice.case_id || /Alice/.test(e.event?.text ?? "")), "A's reply never reaches B's session");
  session.end();
  await ended;
});
