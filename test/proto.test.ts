import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { test } from "node:test";
import { generateTypes } from "../gateway/generate-types.ts";
import { GENERATED_DIR } from "../gateway/proto-files.ts";
import { tempDir } from "./harness/nats.ts";

/** Every file under `dir`, as path (relative to dir) → contents. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, "utf8"));
  }
  return files;
}

test("the committed gRPC types in gateway/generated match proto/ (run npm run proto:gen)", async () => {
  const fresh = await tempDir("casemesh-proto-");
  generateTypes(fresh);
  const expected = await tree(fresh);
  const committed = await tree(GENERATED_DIR);
  assert.deepEqual([...committed.keys()].sort(), [...expected.keys()].sort(), "the same files");
  for (const [path, text] of expected) assert.equal(committed.get(path), text, `${path} is stale`);
  assert.ok(expected.has("casemesh/v1/SendRequest.ts"), "a request type is generated");
});
