import { createHash } from "node:crypto";
import { normalizeAddress, type Channel } from "../blackboard/index.ts";

/**
 * Ids the gateway derives instead of drawing at random, so that two gateways
 * (or one retrying) that see the same thing write the same thing, and
 * JetStream's msg-id deduplication and the projection's indexes converge.
 */

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";

function digest(...parts: string[]): string {
  const bytes = createHash("sha256").update(parts.join("\u0000")).digest();
  let out = "";
  for (let i = 0; i < 16; i++) out += BASE32[(bytes[i] ?? 0) % 32];
  return out;
}

/** The customer first seen at a channel address. */
export function customerIdFor(channel: Channel, address: string): string {
  return `cu-${digest("customer/v1", channel, normalizeAddress(channel, address))}`;
}

/** A customer's n-th case (1-based): concurrent first messages land in one case. */
export function caseIdFor(customerId: string, n: number): string {
  return `${customerId}-${n}`;
}

/** The key of one customer message: its channel and the channel's own id. */
export function messageKey(channel: Channel, clientMessageId: string): string {
  return digest("message/v1", channel, clientMessageId);
}

/** The id of a link fact: one per customer, channel and address. */
export function linkKey(customerId: string, channel: Channel, address: string): string {
  return `link.${customerId}.${digest("link/v1", channel, normalizeAddress(channel, address))}`;
}
