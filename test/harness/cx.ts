import type { NatsConnection } from "@nats-io/transport-node";
import { ContactDirectory } from "../../blackboard/index.ts";
import { loadAccountData, publishRegisteredContacts } from "../../peers/cx/account-data.ts";
import type { ContextHierarchy } from "../../peers/cx/context/index.ts";
import { loadContextHierarchy } from "../../peers/cx/context/index.ts";
import { identityPeer, openIdentityStores } from "../../peers/cx/identity.ts";
import type { PeerDefinition } from "../../peers/index.ts";

/**
 * The identity peer as its process builds it (peers/cx/identity.ts
 * runIdentityPeer): the sample accounts' registered contacts published to the
 * contact directory, the sealed store and the per-account guard opened on `nc`.
 */
export async function cxIdentityPeer(nc: NatsConnection, id: string, context: ContextHierarchy = loadContextHierarchy()): Promise<PeerDefinition> {
  const data = loadAccountData();
  await publishRegisteredContacts(await ContactDirectory.open(nc), data);
  return identityPeer({ id, data, context, ...(await openIdentityStores(nc, context)) });
}
