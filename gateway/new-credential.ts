/**
 * `npm run -s gateway:credential -- <id> <chat,voice,email,self_service|desk|operator>...`
 * makes a new random credential (`operator`: it reads any case in full, with
 * bids, peer ids and internal facts). It prints the secret once, for the client,
 * and the entry to add to the gateway's credentials file (which holds only
 * its SHA-256). Exits 2 on bad arguments.
 */
import { randomBytes } from "node:crypto";
import { CredentialEntry, hashCredential } from "./credentials.ts";
import { isMain } from "../core/index.ts";

/** The grants that are not channels. */
const ROLE_GRANTS: ReadonlySet<string> = new Set(["desk", "operator"]);

/** A new credential and its configuration entry: `grants` are channel names, `desk` and `operator`. */
export function newCredential(id: string, grants: readonly string[]): { credential: string; entry: CredentialEntry } {
  const credential = `cm_${randomBytes(32).toString("base64url")}`;
  const channels = grants.filter((g) => !ROLE_GRANTS.has(g));
  const entry = CredentialEntry.parse({ id, sha256: hashCredential(credential), channels, desk: grants.includes("desk"), operator: grants.includes("operator") });
  return { credential, entry };
}

if (isMain(import.meta.url)) {
  const [id, ...grants] = process.argv.slice(2).flatMap((a) => a.split(",")).filter((a) => a !== "");
  try {
    if (id === undefined || grants.length === 0) throw new Error("usage: npm run -s gateway:credential -- <id> <chat|voice|email|self_service|desk|operator>...");
    const { credential, entry } = newCredential(id, grants);
    process.stdout.write(`credential (give it to the client; it is not stored anywhere): ${credential}\n`);
    process.stdout.write(`entry for CASEMESH_GATEWAY_CREDENTIALS_FILE: ${JSON.stringify(entry)}\n`);
  } catch (err) {
    const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    const message = issues?.map((i) => `${i.path.join(".") || "credential"}: ${i.message}`).join("; ") ?? (err as Error).message;
    process.stderr.write(`${message}\n`);
    process.exit(2);
  }
}
