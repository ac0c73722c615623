import "../../peers/cx/facts.ts";
import type { FactDraft } from "../../blackboard/writer.ts";

/** The source stamped on facts written by tests. */
export const TEST_SOURCE = { peer: "test-peer", capability: "test", version: "1.0.0" } as const;

/** A case.opened draft. */
export function caseOpened(caseId: string, customerId = `cust-${caseId}`, channel: "chat" | "voice" | "email" = "chat"): FactDraft<"case.opened"> {
  return { caseId, kind: "case.opened", data: { customerId, channel, tier: "standard" } };
}

/** A message.received draft. */
export function message(caseId: string, text: string, n = 1, channel: "chat" | "voice" | "email" = "chat"): FactDraft<"message.received"> {
  return {
    caseId,
    kind: "message.received",
    data: { channel, address: "user-1", text, clientMessageId: `m-${caseId}-${n}`, attachments: [] },
  };
}
