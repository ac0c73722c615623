import { type BlackboardClient, type Channel, type FactWriter, sealedRefOf, type SealedStore } from "../blackboard/index.ts";
import { NotFoundError } from "../core/index.ts";
import { watchFacts, type FactWatchOptions } from "./case-events.ts";
import type { OutboundReply } from "./generated/casemesh/v1/OutboundReply.ts";
import { protoChannel } from "./requests.ts";

/**
 * Replies go to the channel the customer is on. A composer (or a human at
 * the desk) drafts a reply for a channel; live sessions get it on their
 * stream, and a channel's sender (an email sender, an SMS gateway) takes
 * every reply drafted for its channel from the outbox, with the customer's
 * addresses there, and confirms the delivery, which writes `reply.delivered`.
 *
 * A sealed reply (a one-time code; its text in the log is `[sealed:<ref>] …`)
 * is delivered with the text and the one address held in the sealed store,
 * which is where the secret is: never the case customer's addresses (a
 * claimant's code goes to the account's registered contact). Once the sealed
 * entry is gone (expired), the reply is not delivered at all.
 */

export interface OutboxOptions extends Pick<FactWatchOptions, "nc" | "blackboard" | "afterSeq" | "signal"> {
  channel: Channel;
  sealed: SealedStore;
  onReply: (reply: OutboundReply) => Promise<void> | void;
}

/** Streams the replies drafted for `options.channel` across every case until `signal` aborts. */
export function watchOutbox(options: OutboxOptions): Promise<void> {
  const { blackboard, channel } = options;
  return watchFacts({
    ...options,
    subject: "casemesh.fact.*.reply.drafted",
    onFact: async (seq, fact) => {
      if (fact.kind !== "reply.drafted" || fact.data.channel !== channel) return;
      const { customerId, addresses } = await customerAddresses(blackboard, fact.caseId, channel, seq);
      const ref = sealedRefOf(fact.data.text);
      const sealed = ref === undefined ? undefined : await options.sealed.outbound(ref);
      if (ref !== undefined && (sealed === undefined || sealed.channel !== channel)) return;
      await options.onReply({
        seq: String(seq),
        case_id: fact.caseId,
        fact_id: fact.id,
        channel: protoChannel(channel),
        customer_id: customerId ?? "",
        addresses: sealed === undefined ? addresses : [sealed.address],
        text: sealed?.text ?? fact.data.text,
        at: fact.at,
      });
    },
  });
}

/** The case's customer and their addresses on `channel`, verified ones first, as of `minSeq`. */
async function customerAddresses(blackboard: BlackboardClient, caseId: string, channel: Channel, minSeq: number) {
  const { case: state } = await blackboard.getCaseBrief({ caseId, minSeq });
  if (state.customerId === null) return { customerId: null, addresses: [] };
  const { customer } = await blackboard.getCustomer({ customerId: state.customerId, minSeq });
  const on = customer.addresses.filter((a) => a.channel === channel);
  on.sort((a, b) => Number(b.verified) - Number(a.verified));
  return { customerId: state.customerId, addresses: on.map((a) => a.address) };
}

/**
 * Writes `reply.delivered` for a drafted reply, once: a confirmation that was
 * recorded before (however long ago) answers with its sequence. `beforeWrite`
 * runs after the reads and before the write (the caller's deadline check).
 */
export async function confirmDelivery(
  deps: { blackboard: BlackboardClient; writer: FactWriter; minSeq: number },
  req: { caseId: string; factId: string; channel: Channel; address: string },
  beforeWrite: () => void,
): Promise<{ seq: number; duplicate: boolean }> {
  const { facts } = await deps.blackboard.getCase({ caseId: req.caseId, minSeq: deps.minSeq });
  const draft = facts.find((f) => f.fact.id === req.factId && f.fact.kind === "reply.drafted");
  const draftChannel = (draft?.fact.data as { channel?: string } | undefined)?.channel;
  if (draft === undefined || draftChannel !== req.channel) {
    throw new NotFoundError(`fact_id: case ${req.caseId} has no reply drafted for ${req.channel} with this id`);
  }
  const earlier = facts.find((f) => f.fact.kind === "reply.delivered" && (f.fact.data as { draftFactId?: string }).draftFactId === req.factId);
  if (earlier !== undefined) return { seq: earlier.seq, duplicate: true };
  beforeWrite();
  const appended = await deps.writer.append(
    { caseId: req.caseId, kind: "reply.delivered", causedBy: req.factId, data: { channel: req.channel, address: req.address, draftFactId: req.factId } },
    { msgId: `delivered.${req.factId}` },
  );
  return { seq: appended.seq, duplicate: appended.duplicate };
}
