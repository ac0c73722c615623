/**
 * The JSON Schema files of the registered fact contracts, one per kind and
 * version, for peers written in other languages (`npm run contracts:export`
 * writes them into proto/facts/; a test fails when they are stale).
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { factRegistry, type FactRegistry } from "./contract-registry.ts";
import { factJsonSchema } from "./contracts.ts";

/** Where the exported schemas live. */
export const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "proto", "facts");

/** Renders every schema file of the contracts `registry` defines in code: file name → contents. */
export function renderContractFiles(registry: FactRegistry = factRegistry): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of registry.contracts()) {
    if (c.origin !== "code") continue;
    files.set(`${c.kind}.v${c.v}.schema.json`, `${JSON.stringify(factJsonSchema(c.kind, c.v), null, 2)}\n`);
  }
  return files;
}

/** Writes the schema files into `outDir`, removing stale ones; returns how many it wrote. */
export async function writeContractFiles(outDir: string = CONTRACTS_DIR, registry: FactRegistry = factRegistry): Promise<number> {
  await mkdir(outDir, { recursive: true });
  const files = renderContractFiles(registry);
  for (const old of await readdir(outDir)) {
    if (old.endsWith(".schema.json") && !files.has(old)) await rm(join(outDir, old));
  }
  for (const [name, body] of files) await writeFile(join(outDir, name), body);
  return files.size;
}
