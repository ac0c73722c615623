import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { CONFIG_DOC, TABLE_END, TABLE_START, renderConfigTable, spliceTable } from "../../docs/generate-config.ts";
import { EnvSchema } from "../../core/config.ts";

test("the committed configuration tables in docs/configuration.md match the schemas (run npm run docs:config)", async () => {
  const doc = await readFile(CONFIG_DOC, "utf8");
  assert.equal(doc, spliceTable(doc, renderConfigTable()), "docs/configuration.md is stale");
});

test("every variable loadConfig reads has a row, with its default", () => {
  const table = renderConfigTable();
  for (const name of Object.keys(EnvSchema.shape)) assert.match(table, new RegExp(`^\\| \`${name}\` \\| `, "m"), `${name} has no row`);
  assert.match(table, /^\| `CASEMESH_LEASE_MS` \| `5000` \| /m);
  assert.match(table, /^\| `identity\.otp\.digits` \| integer 4–10 \| /m);
});

test("only the text between the markers is generated", () => {
  const doc = `# hand-written\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
  assert.equal(spliceTable(doc, "new"), `# hand-written\n\n${TABLE_START}\n\nnew\n\n${TABLE_END}\n\nafter\n`);
  assert.throws(() => spliceTable("# no markers\n", "new"), /needs the markers/);
});
