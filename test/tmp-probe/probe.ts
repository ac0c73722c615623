import { Metadata, status } from "@grpc/grpc-js";
import { TOKENS, auth, callFails, channelClient, startGateway } from "../harness/gateway.ts";
import { connectTo, startNats } from "../harness/nats.ts";
import { startReplica } from "../harness/replica.ts";
import { test } from "node:test";

test("probe", async () => {
const server = await startNats();
const nc = await connectTo(server);
await startReplica(nc);
const gateway = await startGateway(nc);
const client = channelClient(gateway.address);
const base = { channel: "CHAT" as const, address: "p1", text: "hi", client_message_id: "p-1" };
for (const size of [4000, 9000, 20000, 70000, 200000]) {
  const md = auth(TOKENS.chat);
  md.set("x-big", "a".repeat(size));
  const t = Date.now();
  const r = await new Promise((resolve) => client.send({ ...base, client_message_id: `p-${size}` }, md, { deadline: Date.now() + 5000 }, (err, res) => resolve(err ? [status[err.code], err.details] : res)));
  console.log(size, r, Date.now() - t);
}
for (const dl of [Date.now() - 1000, Date.now() + 1]) {
  const r = await callFails(client, "send", { ...base, client_message_id: `dl-${dl}` }, TOKENS.chat, { deadline: dl }).catch((e) => e);
  console.log("deadline", status[r.code], r.details);
}
const md = new Metadata();
md.add("authorization", `Bearer ${TOKENS.chat}`);
md.add("authorization", `Bearer ${TOKENS.chat}`);
const r = await new Promise((resolve) => client.send({ ...base, client_message_id: `dup` }, md, (err, res) => resolve(err ? [status[err.code], err.details] : res)));
console.log("dup", r);
const r2 = await new Promise((resolve) => client.send({ ...base, channel: 99 as never, client_message_id: `ch99` }, auth(TOKENS.chat), (err, res) => resolve(err ? [status[err.code], err.details] : res)));
console.log("ch99", r2);
const r3 = await new Promise((resolve) => client.send({ ...base, text: "x".repeat(1 << 20), client_message_id: `big` }, auth(TOKENS.chat), (err, res) => resolve(err ? [status[err.code], err.details] : res)));
console.log("big", r3);
});
