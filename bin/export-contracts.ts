/**
 * `npm run contracts:export [dir]`: writes one JSON Schema per fact kind and
 * version into proto/facts/: the blackboard's core kinds and the reference
 * CX application's kinds (registered by importing it).
 */
import { CONTRACTS_DIR, writeContractFiles } from "../blackboard/index.ts";
import "../peers/cx/index.ts";

const outDir = process.argv[2] ?? CONTRACTS_DIR;
const count = await writeContractFiles(outDir);
process.stdout.write(`wrote ${count} fact contracts to ${outDir}\n`);
