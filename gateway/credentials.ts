import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Metadata } from "@grpc/grpc-js";
import { z } from "zod";
import { Channel } from "../blackboard/index.ts";
import { ConfigError, type GatewayConfig, PermissionDeniedError, UnauthenticatedError } from "../core/index.ts";

/**
 * Who may call the gateway. Each channel client and each agent desk holds a
 * secret credential and sends it as `authorization: Bearer <credential>`.
 * The gateway is configured with the SHA-256 of each credential, never the
 * credential itself, and binds each one to the channels it may speak for,
 * whether it may act as an agent desk, and whether it is configured for
 * operator use (it reads any case in full). Credentials never reach logs:
 * only the credential's `id` does.
 */

/** The longest credential accepted; longer ones are refused before hashing. */
export const MAX_CREDENTIAL_CHARS = 512;

export const CredentialEntry = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 letters, digits, _ . or -"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be the lower-case hex SHA-256 of the credential"),
    channels: z.array(Channel).max(4).default([]),
    desk: z.boolean().default(false),
    /**
     * Configured for operator use: reads any case (GetTimeline, WatchCase)
     * without naming an address or an agent, and sees the full timeline with
     * bids, peer ids and internal facts. @default false
     */
    operator: z.boolean().default(false),
  })
  .refine((c) => c.channels.length > 0 || c.desk || c.operator, "must allow at least one channel, the desk, or operator use");
export type CredentialEntry = z.infer<typeof CredentialEntry>;

export const CredentialList = z.array(CredentialEntry).min(1, "must list at least one credential");

/** An authenticated caller. */
export interface Principal {
  id: string;
  channels: ReadonlySet<Channel>;
  desk: boolean;
  /** Configured for operator use: reads any case in full. */
  operator: boolean;
}

/** The hex SHA-256 of a credential, as the configuration holds it. */
export function hashCredential(credential: string): string {
  return createHash("sha256").update(credential, "utf8").digest("hex");
}

/** Reads the configured credential list; a ConfigError names what is wrong, never a secret. */
export function loadCredentials(source: GatewayConfig["credentials"]): CredentialEntry[] {
  if (source === undefined) {
    throw new ConfigError(
      "invalid configuration: the gateway needs CASEMESH_GATEWAY_CREDENTIALS or CASEMESH_GATEWAY_CREDENTIALS_FILE (a JSON list of {id, sha256, channels, desk, operator})",
      { variables: ["CASEMESH_GATEWAY_CREDENTIALS", "CASEMESH_GATEWAY_CREDENTIALS_FILE"] },
    );
  }
  const where = "json" in source ? "CASEMESH_GATEWAY_CREDENTIALS" : source.file;
  const variables = ["json" in source ? "CASEMESH_GATEWAY_CREDENTIALS" : "CASEMESH_GATEWAY_CREDENTIALS_FILE"];
  let text: string;
  try {
    text = "json" in source ? source.json : readFileSync(source.file, "utf8");
  } catch (err) {
    throw new ConfigError(`invalid configuration: cannot read ${where}: ${(err as Error).message}`, { variables });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`invalid configuration: ${where} is not JSON`, { variables });
  }
  const parsed = CredentialList.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${where} at ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`, { variables });
  }
  const ids = new Set<string>();
  for (const entry of parsed.data) {
    if (ids.has(entry.id)) throw new ConfigError(`invalid configuration: ${where} lists credential id ${entry.id} twice`, { variables });
    ids.add(entry.id);
  }
  return parsed.data;
}

/** Checks credentials in call metadata against the configured hashes. */
export class Authenticator {
  readonly #byHash = new Map<string, Principal>();

  constructor(entries: readonly CredentialEntry[]) {
    for (const e of entries) this.#byHash.set(e.sha256, { id: e.id, channels: new Set(e.channels), desk: e.desk, operator: e.operator });
  }

  /** The caller, or an {@link UnauthenticatedError} saying what to send. */
  authenticate(metadata: Metadata): Principal {
    const values = metadata.get("authorization");
    if (values.length === 0) throw new UnauthenticatedError("missing credential: send metadata `authorization: Bearer <credential>`");
    if (values.length > 1) throw new UnauthenticatedError("send exactly one authorization header");
    const header = values[0];
    if (typeof header !== "string" || !/^Bearer [\x21-\x7E]+$/.test(header)) {
      throw new UnauthenticatedError("malformed authorization: expected `Bearer <credential>`");
    }
    const credential = header.slice("Bearer ".length);
    if (credential.length > MAX_CREDENTIAL_CHARS) {
      throw new UnauthenticatedError(`unknown credential: a credential is longer than ${MAX_CREDENTIAL_CHARS} characters`);
    }
    const principal = this.#byHash.get(hashCredential(credential));
    if (principal === undefined) throw new UnauthenticatedError("unknown credential");
    return principal;
  }
}

/** Refuses a caller whose credential does not speak for `channel`. */
export function requireChannel(principal: Principal, channel: Channel): void {
  if (!principal.channels.has(channel)) {
    throw new PermissionDeniedError(`credential ${principal.id} may not act for the ${channel} channel`);
  }
}

/** Refuses a caller whose credential is not an agent desk's. */
export function requireDesk(principal: Principal): void {
  if (!principal.desk) throw new PermissionDeniedError(`credential ${principal.id} is not an agent desk credential`);
}
