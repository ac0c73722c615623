import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** The value of the sample of `name` whose labels include `labels`, in any order. */
export function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of body.split("\n")) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[3]);
  }
  return undefined;
}

/** Fails unless `promtool check metrics` accepts an exposition body. */
export function assertPromtoolClean(body: string): void {
  const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
  assert.equal(check.error, undefined, "promtool must be installed (.ci/run installs Debian's prometheus package)");
  assert.equal(check.status, 0, `promtool found problems:\n${check.stdout}${check.stderr}`);
}
