import assert from "node:assert/strict";
import { test } from "node:test";
import { status } from "@grpc/grpc-js";
import { BlackboardClient } from "../blackboard/client.ts";
import type { SessionEvent__Output } from "../gateway/generated/casemesh/v1/SessionEvent.ts";
import { TOKENS, auth, call, callFails, channelClient, collect, startGateway } from "./harness/gateway.ts";
import { testWriter } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { caseFactsWhen, eventually } from "./harness/wait.ts";

const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gateway = await startGateway(nc);
const client = channelClient(gateway.address);
const blackboard = new BlackboardClient(nc);

/** The facts of `kind` on a case, as of at least `minSeq`. */
async function factsOf(caseId: string, kind: string, minSeq = 0) {
  const { facts } = await blackboard.getCase({ caseId, minSeq });
  return facts.filter((f) => f.fact.kind === kind);
}

test("a customer moving chat → voice → email with linked addresses stays in one case, in channel order", async () => {
  const chat = await call(client, "send", { channel: "CHAT", address: "chat-user-42", text: "I was charged twice for my October bill", client_message_id: "chat-1" }, TOKENS.chat);
  assert.equal(chat.accepted, true);
  assert.equal(chat.duplicate, false);

  const linkedVoice = await call(client, "linkAddress", { known_channel: "CHAT", known_address: "chat-user-42", channel: "VOICE", address: "+1 (555) 010-4242", verified: true },
    TOKENS.voice,
  );
  assert.deepEqual(linkedVoice, { customer_id: chat.customer_id, linked: true });
  const linkedEmail = await call(client, "linkAddress", { known_channel: "VOICE", known_address: "+15550104242", channel: "EMAIL", address: "Ada@Example.com", verified: true },
    TOKENS.email,
  );
  assert.equal(linkedEmail.customer_id, chat.customer_id);

  const voice = await call(client, "send", { channel: "VOICE", address: "+1 555 010 4242", text: "Calling about the double charge", client_message_id: "call-7" }, TOKENS.voice);
  const email = await call(client, "send", { channel: "EMAIL", address: "ada@example.com", text: "Following up by email", client_message_id: "<m1@mail>" }, TOKENS.email);
  assert.equal(voice.case_id, chat.case_id, "voice continues the chat case");
  assert.equal(email.case_id, chat.case_id, "email continues the same case");
  assert.equal(voice.customer_id, chat.customer_id);

  // The operator's view: every fact with its source, the needs included.
  const timeline = await call(client, "getTimeline", { case_id: chat.case_id }, TOKENS.operator);
  assert.deepEqual(timeline.channels, ["CHAT", "VOICE", "EMAIL"]);
  assert.equal(timeline.current_channel, "EMAIL");
  const messages = timeline.facts.filter((f) => f.kind === "message.received");
  assert.deepEqual(messages.map((m) => m.channel), ["CHAT", "VOICE", "EMAIL"]);
  assert.deepEqual(messages.map((m) => JSON.parse(m.data_json).text), ["I was charged twice for my October bill", "Calling about the double charge", "Following up by email"]);
  assert.ok(messages.every((m) => m.source_capability === "gateway" && m.source_peer === "test-gw"));
  const seqs = messages.map((m) => Number(m.seq));
  assert.deepEqual([...seqs].sort((a, b) => a - b), seqs, "in log order");
  // Each message opened the first handoff: a need for intent.
  const needs = timeline.facts.filter((f) => f.kind === "need.opened");
  assert.equal(needs.length, 3);
  assert.ok(needs.every((n) => JSON.parse(n.data_json).capability === "intent"));
});

test("a Send retried with the same client message id yields one fact, and the same answer", async () => {
  const req = { channel: "CHAT" as const, address: "retry-user", text: "hello?", client_message_id: "retry-1" };
  const first = await call(client, "send", req, TOKENS.chat);
  const again = await Promise.all([1, 2, 3].map(() => call(client, "send", req, TOKENS.chat)));
  for (const r of again) {
    assert.equal(r.case_id, first.case_id);
    assert.equal(r.seq, first.seq);
    assert.equal(r.duplicate, true);
  }
  assert.equal((await factsOf(first.case_id, "message.received")).length, 1);
  assert.equal((await factsOf(first.case_id, "need.opened")).length, 1);
  // The same id from another channel is another message.
  const other = await call(client, "send", { ...req, channel: "VOICE", address: "+15550000001" }, TOKENS.voice);
  assert.equal(other.duplicate, false);
  // The key is per channel, not per address: the same id from another chat address is taken as a retry.
  const elsewhere = await call(client, "send", { ...req, address: "retry-user-2", text: "someone else" }, TOKENS.chat);
  assert.deepEqual([elsewhere.case_id, elsewhere.seq, elsewhere.duplicate], [first.case_id, first.seq, true]);
});

test("two retries racing each other write one message", async () => {
  const req = { channel: "CHAT" as const, address: "racer", text: "first words", client_message_id: "race-1" };
  const answers = await Promise.all(Array.from({ length: 8 }, () => call(client, "send", req, TOKENS.chat)));
  assert.equal(new Set(answers.map((a) => a.case_id)).size, 1);
  assert.equal(new Set(answers.map((a) => a.seq)).size, 1);
  const caseId = answers[0]?.case_id ?? "";
  const seq = Number(answers[0]?.seq);
  assert.equal((await factsOf(caseId, "message.received", seq)).length, 1);
  assert.equal((await factsOf(caseId, "case.opened")).length, 1);
});

test("wrong or missing credentials are UNAUTHENTICATED; another channel's credential is PERMISSION_DENIED; nothing is written", async () => {
  const req = { channel: "EMAIL" as const, address: "intruder@example.com", text: "hi", client_message_id: "auth-1" };
  const missing = await callFails(client, "send", req, undefined);
  assert.equal(missing.code, status.UNAUTHENTICATED);
  assert.match(missing.details, /authorization: Bearer/);
  const wrong = await callFails(client, "send", req, "not-a-real-credential");
  assert.equal(wrong.code, status.UNAUTHENTICATED);
  const voiceAsEmail = await callFails(client, "send", req, TOKENS.voice);
  assert.equal(voiceAsEmail.code, status.PERMISSION_DENIED);
  assert.match(voiceAsEmail.details, /email/);
  const deskAsChat = await callFails(client, "send", { ...req, channel: "CHAT" }, TOKENS.desk);
  assert.equal(deskAsChat.code, status.PERMISSION_DENIED);
  await assert.rejects(blackboard.findCustomerByAddress({ channel: "email", address: "intruder@example.com" }), /no customer/);
});

test("a message on a new channel continues the customer's open case; after resolution a new case opens", async () => {
  const a = await call(client, "send", { channel: "CHAT", address: "resolver", text: "one", client_message_id: "r-1" }, TOKENS.chat);
  const writer = await testWriter(nc);
  const resolved = await writer.append({ caseId: a.case_id, kind: "case.resolved", data: { resolution: "credited", by: "test" } });
  await blackboard.getCaseBrief({ caseId: a.case_id, minSeq: resolved.seq });
  const b = await call(client, "send", { channel: "CHAT", address: "resolver", text: "two", client_message_id: "r-2" }, TOKENS.chat);
  assert.notEqual(b.case_id, a.case_id);
  assert.equal(b.customer_id, a.customer_id);
});

test("WatchCase streams customer-facing events after a sequence, then live ones", async () => {
  const first = await call(client, "send", { channel: "CHAT", address: "watcher", text: "first", client_message_id: "w-1" }, TOKENS.chat);
  const watch = collect(client.watchCase({ case_id: first.case_id, after_seq: first.seq, channel: "CHAT", address: "watcher" }, auth(TOKENS.chat)));
  const writer = await testWriter(nc);
  await writer.append({ caseId: first.case_id, kind: "reply.drafted", data: { channel: "chat", text: "We are on it.", replyTo: null } });
  const second = await call(client, "send", { channel: "CHAT", address: "watcher", text: "second", client_message_id: "w-2" }, TOKENS.chat);
  await eventually("two events", async () => (watch.items.length >= 2 ? true : undefined));
  assert.deepEqual(watch.items.map((e) => [e.kind, e.text]), [["CASE_EVENT_KIND_REPLY_DRAFTED", "We are on it."], ["CASE_EVENT_KIND_MESSAGE_RECEIVED", "second"]]);
  assert.equal(watch.items[1]?.seq, second.seq);
  assert.ok(watch.items.every((e) => Number(e.seq) > Number(first.seq)));
  const unknown = collect(client.watchCase({ case_id: "no-such-case", after_seq: "0", channel: "CHAT", address: "watcher" }, auth(TOKENS.chat)));
  assert.equal((await unknown.ended)?.code, status.NOT_FOUND);
});

test("WatchCase does not end when the case is resolved: a reply written after the resolution still arrives; the timeline says CASE_STATUS_RESOLVED", async () => {
  const sent = await call(client, "send", { channel: "CHAT", address: "resolved-watcher", text: "is it fixed?", client_message_id: "rw-1" }, TOKENS.chat);
  const stream = client.watchCase({ case_id: sent.case_id, after_seq: "0", channel: "CHAT", address: "resolved-watcher" }, auth(TOKENS.chat));
  const watch = collect(stream);
  const writer = await testWriter(nc);
  await writer.append({ caseId: sent.case_id, kind: "case.resolved", data: { resolution: "fixed", by: "test" } });
  await writer.append({ caseId: sent.case_id, kind: "reply.drafted", data: { channel: "chat", text: "Following up: all good?", replyTo: null } });
  await eventually("the reply after the resolution", async () => (watch.items.length >= 4 ? true : undefined));
  assert.deepEqual(watch.items.map((e) => [e.kind, e.channel, e.text]), [
    ["CASE_EVENT_KIND_CASE_OPENED", "CHAT", ""],
    ["CASE_EVENT_KIND_MESSAGE_RECEIVED", "CHAT", "is it fixed?"],
    ["CASE_EVENT_KIND_CASE_RESOLVED", "CHANNEL_UNSPECIFIED", "fixed"],
    ["CASE_EVENT_KIND_REPLY_DRAFTED", "CHAT", "Following up: all good?"],
  ]);
  const open = await Promise.race([watch.ended.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300))]);
  assert.ok(open, "the stream is still open after the resolution");
  const timeline = await call(client, "getTimeline", { case_id: sent.case_id }, TOKENS.operator);
  assert.equal(timeline.status, "CASE_STATUS_RESOLVED");
  assert.ok(timeline.facts.every((f) => f.version === 1 && /^[a-z]+(\.[a-z_]+)+$/.test(f.kind)), "every fact has its dotted kind and contract version");
  stream.cancel();
  await watch.ended;
});

test("a Send cut off by its deadline may have been written or not; retried with the same client message id it is stored once", async () => {
  const sends = Array.from({ length: 6 }, (_, i) => ({ channel: "CHAT" as const, address: `deadline-user-${i}`, text: "are you there?", client_message_id: `deadline-${i}` }));
  const cut = await Promise.allSettled(sends.map((req, i) => call(client, "send", req, TOKENS.chat, { deadline: Date.now() + i * 3 })));
  assert.ok(cut.some((r) => r.status === "rejected" && (r.reason as { code?: number }).code === status.DEADLINE_EXCEEDED), "some were cut off");
  for (const req of sends) {
    const again = await call(client, "send", req, TOKENS.chat);
    const stored = await factsOf(again.case_id, "message.received", Number(again.seq));
    assert.deepEqual(stored.map((f) => f.seq), [Number(again.seq)], `${req.client_message_id} is stored once`);
  }
});

test("a Session opens for an address, accepts messages, and streams back replies for its channel only", async () => {
  const session = client.session(auth(TOKENS.chat));
  const events: SessionEvent__Output[] = [];
  session.on("data", (e: SessionEvent__Output) => events.push(e));
  const ended = new Promise<void>((resolve) => session.on("end", () => resolve()).on("error", () => resolve()));
  session.write({ open: { channel: "CHAT", address: "live-user", after_seq: "0" } });
  session.write({ message: { text: "is anyone there?", client_message_id: "s-1", attachments: [] } });
  const accepted = await eventually("accepted", async () => events.find((e) => e.kind === "accepted")?.accepted ?? undefined);
  assert.equal(events[0]?.kind, "opened");
  const writer = await testWriter(nc);
  await writer.append({ caseId: accepted.case_id, kind: "reply.drafted", data: { channel: "email", text: "an email reply", replyTo: null } });
  await writer.append({ caseId: accepted.case_id, kind: "reply.drafted", data: { channel: "chat", text: "Hi! How can I help?", replyTo: null } });
  const reply = await eventually("a chat reply", async () => events.find((e) => e.kind === "event")?.event ?? undefined);
  assert.equal(reply.text, "Hi! How can I help?");
  assert.equal(reply.channel, "CHAT");
  assert.equal(events.filter((e) => e.kind === "event").length, 1, "the email reply is not sent to the chat session");
  session.end();
  await ended;
});

test("a channel back end reads a case for an address of its customer, on any channel it speaks for; the operator reads any case", async () => {
  const chatOnly = await call(client, "send", { channel: "CHAT", address: "private-user", text: "my account", client_message_id: "p-1" }, TOKENS.chat);
  // The IVR acting for a number that is not this customer's finds no such case.
  const stranger = await callFails(client, "getTimeline", { case_id: chatOnly.case_id, channel: "VOICE", address: "+15550107777" }, TOKENS.voice);
  assert.equal(stranger.code, status.NOT_FOUND);
  const watch = collect(client.watchCase({ case_id: chatOnly.case_id, after_seq: "0", channel: "EMAIL", address: "private@example.com" }, auth(TOKENS.email)));
  assert.equal((await watch.ended)?.code, status.NOT_FOUND);
  assert.equal(watch.items.length, 0);
  const operator = await call(client, "getTimeline", { case_id: chatOnly.case_id }, TOKENS.operator);
  assert.equal(operator.case_id, chatOnly.case_id);
  // Once the number is the customer's, the IVR acting for it reads the case, though the customer never called.
  await call(client, "linkAddress", { known_channel: "CHAT", known_address: "private-user", channel: "VOICE", address: "+15550107777", verified: true }, TOKENS.voice);
  const voice = await call(client, "getTimeline", { case_id: chatOnly.case_id, channel: "VOICE", address: "+1 555 010 7777" }, TOKENS.voice);
  assert.deepEqual(voice.channels, ["CHAT"]);
  assert.deepEqual(voice.facts.map((f) => JSON.parse(f.data_json).text).filter(Boolean), ["my account"]);
});

test("a stopping gateway ends its streams with UNAVAILABLE at once, so clients resume elsewhere", async () => {
  const leaving = await startGateway(nc, { config: { gatewayId: "test-gw-leaving" } });
  const leavingClient = channelClient(leaving.address);
  const first = await call(leavingClient, "send", { channel: "CHAT", address: "leaver", text: "hi", client_message_id: "l-1" }, TOKENS.chat);
  const watch = collect(leavingClient.watchCase({ case_id: first.case_id, after_seq: "0", channel: "CHAT", address: "leaver" }, auth(TOKENS.chat)));
  const session = leavingClient.session(auth(TOKENS.chat));
  const sessionEnded = new Promise<number | undefined>((resolve) => {
    session.on("data", () => undefined);
    session.on("error", (err: { code: number }) => resolve(err.code));
    session.on("end", () => resolve(undefined));
  });
  session.write({ open: { channel: "CHAT", address: "leaver", after_seq: "0" } });
  await eventually("the watch is streaming", async () => (watch.items.length > 0 ? true : undefined));
  const started = Date.now();
  await leaving.stop(10_000);
  const stoppedInMs = Date.now() - started;
  assert.equal((await watch.ended)?.code, status.UNAVAILABLE);
  assert.equal(await sessionEnded, status.UNAVAILABLE);
  assert.ok(stoppedInMs < 5_000, `stopped in ${stoppedInMs} ms, not after the 10 s grace`);
});


test("a reply drafted for email reaches the email outbox with the customer's address, resumes after a sequence, and its delivery is recorded once", async () => {
  const chat = await call(client, "send", { channel: "CHAT", address: "outbox-user", text: "please email me", client_message_id: "o-1" }, TOKENS.chat);
  await call(client, "linkAddress", { known_channel: "CHAT", known_address: "outbox-user", channel: "EMAIL", address: "Outbox.User@Example.com", verified: true }, TOKENS.email);
  const emailOutbox = collect(client.outbox({ channel: "EMAIL", after_seq: chat.seq }, auth(TOKENS.email)));
  const chatOutbox = collect(client.outbox({ channel: "CHAT", after_seq: chat.seq }, auth(TOKENS.chat)));
  const writer = await testWriter(nc);
  const emailed = await writer.append({ caseId: chat.case_id, kind: "reply.drafted", data: { channel: "email", text: "Your credit is applied.", replyTo: null } });
  const chatted = await writer.append({ caseId: chat.case_id, kind: "reply.drafted", data: { channel: "chat", text: "Done!", replyTo: null } });
  const reply = await eventually("the email reply", async () => emailOutbox.items.find((r) => r.case_id === chat.case_id));
  assert.equal(reply.text, "Your credit is applied.");
  assert.deepEqual(reply.addresses, ["outbox.user@example.com"]);
  assert.equal(reply.fact_id, emailed.fact.id);
  assert.equal(reply.customer_id, chat.customer_id);
  await eventually("the chat reply", async () => chatOutbox.items.find((r) => r.case_id === chat.case_id));
  assert.ok(!emailOutbox.items.some((r) => r.fact_id === chatted.fact.id), "the chat reply is not emailed");
  assert.ok(!chatOutbox.items.some((r) => r.fact_id === emailed.fact.id), "the email reply is not sent to chat");

  // A sender that restarts resumes after the last sequence it handled.
  const resumed = collect(client.outbox({ channel: "EMAIL", after_seq: String(emailed.seq - 1) }, auth(TOKENS.email)));
  await eventually("the resumed email reply", async () => resumed.items.find((r) => r.fact_id === emailed.fact.id));
  const voiceOutbox = collect(client.outbox({ channel: "EMAIL", after_seq: "0" }, auth(TOKENS.voice)));
  assert.equal((await voiceOutbox.ended)?.code, status.PERMISSION_DENIED);

  const confirm = { case_id: chat.case_id, fact_id: emailed.fact.id, channel: "EMAIL" as const, address: "outbox.user@example.com" };
  const first = await call(client, "confirmDelivery", confirm, TOKENS.email);
  const again = await call(client, "confirmDelivery", confirm, TOKENS.email);
  assert.equal(first.duplicate, false);
  assert.equal(again.duplicate, true);
  assert.equal(again.seq, first.seq);
  assert.equal((await factsOf(chat.case_id, "reply.delivered", Number(first.seq))).length, 1);
  const wrong = await callFails(client, "confirmDelivery", { ...confirm, fact_id: chatted.fact.id }, TOKENS.email);
  assert.equal(wrong.code, status.NOT_FOUND);
  assert.match(wrong.details, /fact_id: .* no reply drafted for email/);
});

test("a Send's traceparent metadata is continued on the facts it writes; without one a new trace starts", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const md = auth(TOKENS.chat);
  md.set("traceparent", `00-${traceId}-00f067aa0ba902b7-01`);
  const traced = await new Promise<{ case_id: string; seq: string }>((resolve, reject) =>
    client.send({ channel: "CHAT", address: "traced-user", text: "trace me", client_message_id: "t-1" }, md, (err, res) => (err === null && res !== undefined ? resolve(res) : reject(err))),
  );
  const facts = await caseFactsWhen(blackboard, traced.case_id, (fs) => fs.some((f) => f.fact.kind === "need.opened"));
  const written = facts.filter((f) => f.fact.kind === "message.received" || f.fact.kind === "need.opened");
  assert.equal(written.length, 2);
  for (const f of written) assert.match(f.fact.traceparent ?? "", new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), f.fact.kind);
  const untraced = await call(client, "send", { channel: "CHAT", address: "untraced-user", text: "no trace", client_message_id: "t-2" }, TOKENS.chat);
  const [message] = await factsOf(untraced.case_id, "message.received", Number(untraced.seq));
  assert.match(message?.fact.traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.doesNotMatch(message?.fact.traceparent ?? "", new RegExp(traceId));
});

