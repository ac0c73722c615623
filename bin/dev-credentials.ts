/**
 * Development credentials for the gateway that `npm start` runs when the
 * operator configured none: made once, kept in `<data dir>/dev-credentials.json`
 * (mode 0600, the secrets), and reused on later starts. The gateway gets only
 * their hashes, in `<data dir>/dev-credentials.hashes.json`.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { Channel } from "../blackboard/index.ts";
import { ConfigError } from "../core/index.ts";
import { CredentialEntry, hashCredential, MAX_CREDENTIAL_CHARS, newCredential } from "../gateway/index.ts";
import { StartupError } from "./nats-choice.ts";

/** The secrets file, under the data folder. */
export const DEV_CREDENTIALS_FILE = "dev-credentials.json";
/** The hashes-only file the gateway reads, under the data folder. */
export const DEV_CREDENTIAL_HASHES_FILE = "dev-credentials.hashes.json";
/** Owner read and write only: the file holds secrets. */
const SECRET_FILE_MODE = 0o600;

/**
 * What the development credentials grant: one per channel, one agent desk,
 * and one for operator use (reads any case in full, as `npm run demo` does).
 */
const DEV_GRANTS: readonly { id: string; grants: readonly string[] }[] = [
  ...Channel.options.map((channel) => ({ id: `dev-${channel}`, grants: [channel] })),
  { id: "dev-desk", grants: ["desk"] },
  { id: "dev-operator", grants: ["operator"] },
];

/** One development credential: the secret a client sends, and what it may do. */
export const DevCredential = z.object({
  id: z.string(),
  credential: z.string().min(1).max(MAX_CREDENTIAL_CHARS),
  channels: z.array(Channel),
  desk: z.boolean(),
  /** Absent in files made before operator credentials existed. */
  operator: z.boolean().default(false),
});
export type DevCredential = z.infer<typeof DevCredential>;

/** The secrets file's content. */
export const DevCredentialsFile = z.object({
  note: z.string().optional(),
  credentials: z.array(DevCredential).min(1),
});
export type DevCredentialsFile = z.infer<typeof DevCredentialsFile>;

/** Where the development credentials are. */
export interface DevCredentials {
  /** The secrets file (mode 0600). */
  file: string;
  /** The hashes-only file, for CASEMESH_GATEWAY_CREDENTIALS_FILE. */
  hashesFile: string;
  /** True when this call made new credentials. */
  created: boolean;
  credentials: DevCredential[];
}

const NOTE =
  "Development credentials made by `npm start` for the gateway on this machine. " +
  "A client sends one as gRPC metadata `authorization: Bearer <credential>`. " +
  "Keep this file private; delete it to get new ones on the next start.";

/**
 * Reads the development credentials under `dataDir`, making them on the first
 * call, and (re)writes the hashes-only file. Throws {@link ConfigError} for a
 * secrets file that is not one (never echoing its content), and
 * {@link StartupError} when the files cannot be read or written.
 */
export async function ensureDevCredentials(dataDir: string): Promise<DevCredentials> {
  const file = join(dataDir, DEV_CREDENTIALS_FILE);
  const hashesFile = join(dataDir, DEV_CREDENTIAL_HASHES_FILE);
  try {
    await mkdir(dataDir, { recursive: true });
    let created = false;
    let content = await readIfExists(file);
    if (content === undefined) {
      content = makeCredentialsFile();
      created = await writeNew(file, content);
      // Another start made the file first: use its credentials.
      if (!created) content = (await readIfExists(file)) ?? content;
    }
    let { credentials } = parseCredentialsFile(file, content);
    const missing = DEV_GRANTS.filter((g) => !credentials.some((c) => c.id === g.id));
    if (missing.length > 0) {
      // A file made before a grant existed (dev-operator): add it, keeping every secret already given out.
      await replace(file, credentialsFileContent([...credentials, ...missing.map(makeCredential)]));
      credentials = parseCredentialsFile(file, (await readIfExists(file)) ?? "").credentials;
      created = true;
    }
    await chmod(file, SECRET_FILE_MODE);
    const entries = credentials.map((c) => hashEntry(file, c));
    const temporary = `${hashesFile}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`);
    await rename(temporary, hashesFile);
    return { file, hashesFile, created, credentials };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new StartupError(`cannot set up the gateway's development credentials in ${dataDir}: ${(err as Error).message}`);
  }
}

function makeCredentialsFile(): string {
  return credentialsFileContent(DEV_GRANTS.map(makeCredential));
}

function makeCredential({ id, grants }: { id: string; grants: readonly string[] }): DevCredential {
  const { credential, entry } = newCredential(id, grants);
  return { id, credential, channels: entry.channels, desk: entry.desk, operator: entry.operator };
}

function credentialsFileContent(credentials: DevCredential[]): string {
  const content: DevCredentialsFile = { note: NOTE, credentials };
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** Replaces `file` (mode 0600) through a temporary file and a rename, so a reader never sees half of it. */
async function replace(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, content, { mode: SECRET_FILE_MODE, flag: "wx" });
  await rename(temporary, file);
}

/** Creates `file` with mode 0600; false when it exists already. */
async function writeNew(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { mode: SECRET_FILE_MODE, flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Parses the secrets file; the error names the file and the field, never a value. */
function parseCredentialsFile(file: string, text: string): DevCredentialsFile {
  const remedy = "fix it, or delete it to get new development credentials";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`invalid configuration: ${file} is not JSON; ${remedy}`);
  }
  const parsed = DevCredentialsFile.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${file} at ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}; ${remedy}`);
  }
  return parsed.data;
}

/** The gateway's entry for a development credential: its hash, never the secret. */
function hashEntry(file: string, credential: DevCredential): CredentialEntry {
  const { id, channels, desk, operator } = credential;
  const parsed = CredentialEntry.safeParse({ id, sha256: hashCredential(credential.credential), channels, desk, operator });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${file}, credential ${JSON.stringify(id)}, ${first?.path.join(".") || "entry"}: ${first?.message ?? "invalid"}`);
  }
  return parsed.data;
}
