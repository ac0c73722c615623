/**
 * `npm run proto:gen`: regenerates gateway/generated/ from proto/. The
 * generated files are committed; a test fails when they are stale.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { GENERATED_DIR, REPO_ROOT, generatorArgs } from "./proto-files.ts";
import { isMain } from "../core/index.ts";

/** Writes the TypeScript types for proto/ into `outDir`. */
export function generateTypes(outDir: string): void {
  const bin = createRequire(import.meta.url).resolve("@grpc/proto-loader/build/bin/proto-loader-gen-types.js");
  execFileSync(process.execPath, [bin, ...generatorArgs(outDir)], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

if (isMain(import.meta.url)) {
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  generateTypes(GENERATED_DIR);
  process.stdout.write(`wrote ${GENERATED_DIR}\n`);
}
