import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { tempDir } from "./harness/nats.ts";
import { REPO_ROOT } from "./harness/processes.ts";

test("a process whose stdout reader has gone still exits when it stops (it logs on the way out)", async (t) => {
  // What a child of npm start does when npm start is killed: log its stop, then exit.
  const script = join(await tempDir("casemesh-orphan-log-"), "orphan.ts");
  const logger = pathToFileURL(join(REPO_ROOT, "observability", "logger.ts")).href;
  await writeFile(
    script,
    `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger({ role: "orphan" });
log.info("reader still there");
process.stdin.once("data", () => {
  log.info("stopping");
  log.info("stopped");
  process.exit(0);
});
`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  // Should an assertion fail first, the child (waiting on its stdin) must not outlive the test.
  t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  assert.match(first.toString(), /"msg":"reader still there"/);
  // The reader goes away, then the process is told to stop.
  child.stdout.destroy();
  child.stdin.write("stop\n");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, "it exits by itself instead of retrying the dead pipe forever");
});
