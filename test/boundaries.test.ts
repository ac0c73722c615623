import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "./harness/processes.ts";

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = join(REPO_ROOT, ".dependency-cruiser.cjs");
const FOLDERS = ["core", "observability", "blackboard", "peers", "gateway", "bin", "bench"];

/** Runs the boundary check as `npm run check:boundaries` does, in `cwd`; its exit code and output. */
async function cruise(cwd: string, folders: readonly string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(DEPCRUISE, [...folders, "--config", CONFIG], { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** A tree of files in a temporary folder, laid out as the repository is. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "casemesh-boundaries-"));
  const all: Record<string, string> = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowImportingTsExtensions: true, noEmit: true } }),
    "core/index.ts": 'export { decodeJson } from "./json.ts";\n',
    "core/json.ts": "export const decodeJson = (s: string): unknown => JSON.parse(s);\n",
    "gateway/index.ts": 'export { serve } from "./server.ts";\n',
    ...files,
  };
  for (const [path, body] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), body);
  }
  return root;
}

describe("boundaries between folders (npm run check:boundaries)", () => {
  const made: string[] = [];
  after(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  test("the repository keeps them: front doors only, down the layers, no cycles", async () => {
    const { code, out } = await cruise(REPO_ROOT, FOLDERS);
    assert.equal(code, 0, out);
    assert.match(out, /no dependency violations found/);
  });

  test("an import of another folder's internals fails the check, naming the rule and the files", async () => {
    const root = await tree({ "gateway/server.ts": 'import { decodeJson } from "../core/json.ts";\nexport const serve = decodeJson;\n' });
    made.push(root);
    const { code, out } = await cruise(root, ["core", "gateway"]);
    assert.notEqual(code, 0, out);
    assert.match(out, /error front-door: gateway\/server\.ts → core\/json\.ts/);
  });

  test("the same import through the folder's index.ts passes", async () => {
    const root = await tree({ "gateway/server.ts": 'import { decodeJson } from "../core/index.ts";\nexport const serve = decodeJson;\n' });
    made.push(root);
    const { code, out } = await cruise(root, ["core", "gateway"]);
    assert.equal(code, 0, out);
  });

  test("an import up the layers and a cycle fail the check", async () => {
    const root = await tree({
      "gateway/server.ts": "export const serve = 1;\n",
      "core/clock.ts": 'import { serve } from "../gateway/index.ts";\nexport const now = serve;\n',
      "core/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
      "core/b.ts": 'import { a } from "./a.ts";\nexport const b = () => a;\n',
    });
    made.push(root);
    const { code, out } = await cruise(root, ["core", "gateway"]);
    assert.notEqual(code, 0, out);
    assert.match(out, /error layer-core: core\/clock\.ts → gateway\/index\.ts/);
    assert.match(out, /error no-cycle: core\/(a|b)\.ts/);
  });
});

describe("a peer process does not load gRPC", () => {
  /** The @grpc modules a fresh Node process has loaded after importing `files`. */
  async function grpcLoadedBy(...files: string[]): Promise<string[]> {
    const script = [
      'const { createRequire } = await import("node:module");',
      'const { pathToFileURL } = await import("node:url");',
      ...files.map((file) => `await import(pathToFileURL(${JSON.stringify(join(REPO_ROOT, file))}).href);`),
      "const loaded = Object.keys(createRequire(import.meta.url).cache);",
      'console.log(JSON.stringify(loaded.filter((k) => k.includes("/node_modules/@grpc/"))));',
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO_ROOT });
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]") as string[];
  }

  test("the desk peer's module loads no @grpc package, while the gateway's does", async () => {
    assert.deepEqual(await grpcLoadedBy("peers/cx/desk.ts"), []);
    const gateway = await grpcLoadedBy("gateway/index.ts");
    assert.ok(gateway.some((k) => k.includes("/@grpc/grpc-js/")), "the gateway should load @grpc/grpc-js (the check must be able to see it)");
  });

  test("no reference peer's module loads gRPC", async () => {
    const peers = ["intent", "identity", "account", "billing", "composer", "followup-process"].map((p) => `peers/cx/${p}.ts`);
    assert.deepEqual(await grpcLoadedBy("peers/index.ts", "peers/cx/index.ts", ...peers), []);
  });
});
