/**
 * A complete peer: it serves `reply.ack`, drafting a short acknowledgement on
 * the channel the customer is using, and hands on to the follow-up peer
 * (`followup.schedule`) for a check a day later. Run it with `NATS_URL=… node --import tsx peers/examples/acknowledge.ts`.
 */
import { z } from "zod";
import { capability, definePeer, isMain, runPeers } from "../index.ts";

export const acknowledgePeer = definePeer({
  id: process.env["PEER_ID"] ?? "acknowledge-1",
  version: "1.0.0",
  capacity: 16,
  capabilities: [
    capability({
      name: "reply.ack",
      input: z.object({ topic: z.string().max(200).optional() }),
      fit: 0.8,
      async handler(input, ctx) {
        const channel = ctx.case.state.currentChannel ?? "email";
        const about = input.topic === undefined ? "your message" : `your message about ${input.topic}`;
        const name = ctx.customer?.preferences["name"];
        const text = `${name === undefined ? "Hello" : `Hello ${name}`}, we have ${about} and are on it.`;
        return {
          facts: [{ kind: "reply.drafted", data: { channel, text, replyTo: null } }],
          // The handoff: the follow-up peer e-mails the customer in 24 h unless the case is resolved.
          needs: [
            {
              capability: "followup.schedule",
              input: {
                purpose: "check in a day later",
                delayMs: 24 * 3_600_000,
                action: { capability: "reply", input: { channel: "email", about: "followup", tell: "We are checking in on your message." } },
                cancelIf: ["case.resolved"],
              },
            },
          ],
        };
      },
    }),
  ],
});

if (isMain(import.meta.url)) await runPeers([acknowledgePeer], { role: "acknowledge" });
