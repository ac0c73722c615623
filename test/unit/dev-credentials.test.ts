import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ensureDevCredentials } from "../../bin/dev-credentials.ts";
import { tempDir } from "../harness/nats.ts";

test("a dev credentials file made before dev-operator gets one on the next start, and every secret already given out still works", async () => {
  const dataDir = await tempDir();
  const file = join(dataDir, "dev-credentials.json");
  const older = { credentials: [{ id: "dev-chat", credential: "cm_older-chat-secret", channels: ["chat"], desk: false }] };
  await writeFile(file, `${JSON.stringify(older)}\n`, { mode: 0o600 });
  const dev = await ensureDevCredentials(dataDir);
  assert.equal(dev.created, true);
  assert.equal(dev.credentials.find((c) => c.id === "dev-chat")?.credential, "cm_older-chat-secret", "the old secret is kept");
  const operator = dev.credentials.find((c) => c.id === "dev-operator");
  assert.deepEqual({ ...operator, credential: "" }, { id: "dev-operator", credential: "", channels: [], desk: false, operator: true });
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const hashes = JSON.parse(await readFile(dev.hashesFile, "utf8")) as { id: string; operator: boolean }[];
  assert.equal(hashes.find((h) => h.id === "dev-operator")?.operator, true, "the gateway is told it is an operator credential");
  const again = await ensureDevCredentials(dataDir);
  assert.equal(again.created, false);
  assert.deepEqual(again.credentials, dev.credentials);
});
