import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the gRPC API lives and how it is read. The runtime loader and the
 * type generator use the same options, so the generated types describe
 * exactly the objects the loader hands to handlers.
 */

/** The `proto/` folder. */
export const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "proto");
/** The services' files, relative to PROTO_DIR. */
export const PROTO_FILES = ["casemesh/v1/channel.proto", "casemesh/v1/agent_desk.proto"] as const;
/** Where the generated TypeScript types are written. */
export const GENERATED_DIR = join(dirname(fileURLToPath(import.meta.url)), "generated");

/**
 * proto-loader options: field names as in the .proto (so an error names the
 * field a client in any language sees), 64-bit integers as decimal strings,
 * enums by name, and every field present with its default.
 */
export const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
} as const;

/** The repository root: the generator runs there, so generated files name `proto/...`, not an absolute path. */
export const REPO_ROOT = join(PROTO_DIR, "..");

/** The same options for `proto-loader-gen-types`, run from REPO_ROOT. */
export function generatorArgs(outDir: string): string[] {
  return [
    "--keepCase",
    "--longs=String",
    "--enums=String",
    "--defaults",
    "--oneofs",
    "--includeComments",
    "--grpcLib=@grpc/grpc-js",
    "--importFileExtension=.ts",
    "-I",
    "proto",
    "-O",
    outDir,
    ...PROTO_FILES,
  ];
}
