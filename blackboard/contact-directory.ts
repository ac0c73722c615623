import { createHash } from "node:crypto";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { openFileBucket, readJsonEntry, UnavailableError } from "../core/index.ts";
import { CustomerId } from "./contract-envelope.ts";
import type { Channel } from "./contract-kinds.ts";
import { normalizeAddress } from "./projection-keys.ts";

/**
 * The registered contacts of the organisation's accounts: which customer an
 * address belongs to because the account system says so (the phone, e-mail
 * and chat id on an account), not because someone wrote from it or claimed
 * it. The account system publishes it (the reference app's account and
 * identity peers do, at start); the gateway consults it before the
 * blackboard's address index, so a registered contact always resolves to the
 * account's customer, and no link, claim or stranger can move it. Kept in
 * the JetStream KV bucket `casemesh_contacts`, keyed by channel and a hash of
 * the normalised address (no address appears in a key).
 */

/** The bucket's name. */
export const CONTACTS_BUCKET = "casemesh_contacts";

/** Who a registered contact belongs to. */
export const RegisteredContact = z.strictObject({
  customerId: CustomerId,
  accountId: z.string().min(1).max(64),
});
export type RegisteredContact = z.infer<typeof RegisteredContact>;

/** The KV key of an address: its channel and the SHA-256 of its normalised form. */
export function contactKey(channel: Channel, address: string): string {
  return `${channel}.${createHash("sha256").update(normalizeAddress(channel, address), "utf8").digest("hex").slice(0, 40)}`;
}

/** The directory of registered contacts. */
export class ContactDirectory {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** Opens (creating if needed) the bucket: file storage, one revision per key, no expiry. */
  static async open(nc: NatsConnection, options: { replicas?: number } = {}): Promise<ContactDirectory> {
    return new ContactDirectory(await openFileBucket(nc, CONTACTS_BUCKET, options));
  }

  /** Records that `address` on `channel` is a registered contact of `owner`. The account system is the authority: the latest write wins. */
  async register(channel: Channel, address: string, owner: RegisteredContact): Promise<void> {
    const value = JSON.stringify(RegisteredContact.parse(owner));
    const key = contactKey(channel, address);
    try {
      const current = await this.#kv.get(key);
      if (current?.operation === "PUT" && current.string() === value) return;
      await this.#kv.put(key, value);
    } catch (err) {
      throw new UnavailableError(`registering a ${channel} contact failed: ${String(err)}`, { cause: err });
    }
  }

  /** Who `address` on `channel` is registered to, if anyone. */
  async lookup(channel: Channel, address: string): Promise<RegisteredContact | undefined> {
    const key = contactKey(channel, address);
    return (await readJsonEntry(this.#kv, key, RegisteredContact, `contact entry ${key}`)).value;
  }
}
