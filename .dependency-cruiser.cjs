/**
 * casemesh's boundaries, checked by `npm run check:boundaries` (run by .ci/run).
 *
 * Folders are modules, each with one front door, its index.ts:
 *   core → observability → blackboard → peers (the runtime SDK) → gateway →
 *   peers/cx (the reference application) → bin, bench
 * An import may only go down the layers, only through the target folder's
 * index.ts, and nothing may form a cycle.
 */
const LIB = "(core|observability|blackboard|gateway)";
const FRONT_DOORS = [
  "^core/index\\.ts$",
  "^observability/index\\.ts$",
  "^blackboard/index\\.ts$",
  "^peers/index\\.ts$",
  "^gateway/index\\.ts$",
  "^peers/cx/index\\.ts$",
];
// Files of the peer runtime: peers/*.ts, not the application below it.
const RUNTIME = "^peers/[^/]+\\.ts$";
const APP = "^peers/(cx|examples)/";

/** Forbid `from` importing any of `above`: imports only run down the layers. */
function layer(name, from, above) {
  return {
    name: `layer-${name}`,
    comment: `${name} may not import a layer above it`,
    severity: "error",
    from: { path: from },
    to: { path: above },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "modules may not import each other in a cycle",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "front-door",
      comment: "another folder is entered only through its index.ts",
      severity: "error",
      from: { path: `^${LIB}/|^(bin|bench)/` },
      to: { path: `^${LIB}/|^peers/`, pathNot: ["^$1/", ...FRONT_DOORS] },
    },
    {
      name: "front-door-runtime",
      comment: "the peer runtime enters other folders only through their index.ts",
      severity: "error",
      from: { path: RUNTIME },
      to: { path: `^${LIB}/|^peers/`, pathNot: [RUNTIME, ...FRONT_DOORS] },
    },
    {
      name: "front-door-application",
      comment: "the CX application uses the SDK and the libraries only through their index.ts",
      severity: "error",
      from: { path: "^peers/cx/" },
      to: { path: `^${LIB}/|^peers/`, pathNot: ["^peers/cx/", ...FRONT_DOORS] },
    },
    {
      name: "front-door-examples",
      comment: "the example peers use only front doors",
      severity: "error",
      from: { path: "^peers/examples/" },
      to: { path: `^${LIB}/|^peers/`, pathNot: ["^peers/examples/", ...FRONT_DOORS] },
    },
    layer("core", "^core/", `^(observability|blackboard|peers|gateway|bin|bench)/`),
    layer("observability", "^observability/", `^(blackboard|peers|gateway|bin|bench)/`),
    layer("blackboard", "^blackboard/", `^(peers|gateway|bin|bench)/`),
    layer("peers", RUNTIME, `${APP}|^(gateway|bin|bench)/`),
    layer("gateway", "^gateway/", `${APP}|^(bin|bench)/`),
    layer("application", APP, `^(bin|bench)/`),
    {
      name: "peers-without-grpc",
      comment: "a peer process (runtime or application) never loads gRPC; that is the gateway's",
      severity: "error",
      from: { path: "^peers/" },
      to: { path: "@grpc/", reachable: true },
    },
    {
      name: "no-test-code",
      comment: "library code does not import the tests' harness",
      severity: "error",
      from: { path: `^${LIB}/|^peers/|^bin/` },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^test/|/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
