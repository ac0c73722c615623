/**
 * `npm run contracts:export`: writes one JSON Schema per fact kind into
 * proto/facts/, for peers written in other languages. The files are committed;
 * a test fails when they are stale.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FACT_KINDS, FACT_KIND_NAMES } from "./contract-kinds.ts";
import { factJsonSchema } from "./contracts.ts";

/** Where the exported schemas live. */
export const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "proto", "facts");

/** Renders every schema file: file name → contents. */
export function renderContractFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of FACT_KIND_NAMES) {
    files.set(`${kind}.v${FACT_KINDS[kind].v}.schema.json`, `${JSON.stringify(factJsonSchema(kind), null, 2)}\n`);
  }
  return files;
}

async function main(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const files = renderContractFiles();
  for (const old of await readdir(outDir)) {
    if (old.endsWith(".schema.json") && !files.has(old)) await rm(join(outDir, old));
  }
  for (const [name, body] of files) await writeFile(join(outDir, name), body);
  process.stdout.write(`wrote ${files.size} fact contracts to ${outDir}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv[2] ?? CONTRACTS_DIR);
}
