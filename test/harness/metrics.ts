import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

export { sample } from "../../observability/scrape.ts";

/** Fails unless `promtool check metrics` accepts an exposition body. */
export function assertPromtoolClean(body: string): void {
  const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
  assert.equal(check.error, undefined, "promtool must be installed (.ci/run installs Debian's prometheus package)");
  assert.equal(check.status, 0, `promtool found problems:\n${check.stdout}${check.stderr}`);
}
