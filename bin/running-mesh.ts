/**
 * `<data dir>/running-mesh.json`: where the mesh `npm start` runs can be
 * reached, so `npm run demo` (and people) can find it. Written once the mesh
 * is ready, removed when `npm start` exits; a file left by a killed start is
 * recognised by its pid no longer running.
 */
import { readFileSync, unlinkSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

export const RUNNING_MESH_FILE = "running-mesh.json";

export const RunningMesh = z.object({
  /** The `npm start` process. */
  pid: z.number().int().positive(),
  nats: z.string().min(1),
  /** host:port of the gRPC gateway. */
  gateway: z.string().min(1),
  tls: z.boolean(),
  /** The development credentials file, or null when the operator gave credentials. */
  credentialsFile: z.string().nullable(),
  clock: z.enum(["system", "shared"]),
  /** Every process's /metrics at start (a restarted process may have moved). */
  metrics: z.array(z.object({ name: z.string(), url: z.string() })),
  startedAt: z.string(),
});
export type RunningMesh = z.infer<typeof RunningMesh>;

/** Writes the file atomically (write, then rename); returns its path. */
export async function writeRunningMesh(dataDir: string, mesh: RunningMesh): Promise<string> {
  const file = join(dataDir, RUNNING_MESH_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(mesh, null, 2)}\n`, { mode: 0o644 });
  await rename(tmp, file);
  return file;
}

/** Removes the file if it still names `pid` (a newer start may have replaced it). For an exit handler: synchronous. */
export function removeRunningMeshSync(file: string, pid: number): void {
  try {
    const current = RunningMesh.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (current.success && current.data.pid === pid) unlinkSync(file);
  } catch {
    // gone already, or not ours to remove
  }
}

/**
 * The mesh named under `dataDir`, when the file exists, parses and its
 * process is alive; undefined otherwise (the caller still checks the gateway
 * answers).
 */
export async function readRunningMesh(dataDir: string): Promise<RunningMesh | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, RUNNING_MESH_FILE), "utf8");
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = RunningMesh.safeParse(json);
  if (!parsed.success || !alive(parsed.data.pid)) return undefined;
  return parsed.data;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
