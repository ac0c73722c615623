import { isUtf8 } from "node:buffer";
import { join } from "node:path";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import type { ProtoGrpcType as AgentDeskProto } from "./generated/agent_desk.ts";
import type { ProtoGrpcType as ChannelProto } from "./generated/channel.ts";
import type { AgentDeskServiceDefinition } from "./generated/casemesh/v1/AgentDeskService.ts";
import type { ChannelServiceDefinition } from "./generated/casemesh/v1/ChannelService.ts";
import { LOADER_OPTIONS, PROTO_DIR, PROTO_FILES } from "./proto-files.ts";

/**
 * The gRPC API as loaded at runtime. Each method's request decoder is wrapped
 * so that bytes which are not a valid message, or a string field that is not
 * valid UTF-8, do not become INTERNAL errors deep in grpc-js: the request
 * arrives at its handler marked with the problem, and the handler answers
 * INVALID_ARGUMENT naming the field.
 */

/** Full service names, as health checking and reflection list them. */
export const CHANNEL_SERVICE = "casemesh.v1.ChannelService";
export const AGENT_DESK_SERVICE = "casemesh.v1.AgentDeskService";

/** Requests whose bytes were not acceptable, with what was wrong. */
const wireProblems = new WeakMap<object, string>();

/** What was wrong with a request's bytes, if anything. */
export function wireProblem(request: unknown): string | undefined {
  return typeof request === "object" && request !== null ? wireProblems.get(request) : undefined;
}

export interface LoadedApi {
  packageDefinition: PackageDefinition;
  channel: ChannelServiceDefinition;
  agentDesk: AgentDeskServiceDefinition;
}

/** Loads proto/ once per call; the gateway keeps the result. */
export function loadApi(): LoadedApi {
  const packageDefinition = loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [...LOADER_OPTIONS.includeDirs] });
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync([...PROTO_FILES], { keepCase: true });
  root.resolveAll();
  const guard = (name: string): ServiceDefinition => {
    const definition = packageDefinition[name] as ServiceDefinition;
    const guarded: Record<string, ServiceDefinition[string]> = {};
    for (const [method, spec] of Object.entries(definition)) {
      const type = root.lookupType(requestTypeName(spec));
      guarded[method] = { ...spec, requestDeserialize: guardedDecoder(type, spec.requestDeserialize) };
    }
    return guarded;
  };
  const api = {
    channel: guard(CHANNEL_SERVICE) as unknown as ChannelProto["casemesh"]["v1"]["ChannelService"]["service"],
    agentDesk: guard(AGENT_DESK_SERVICE) as unknown as AgentDeskProto["casemesh"]["v1"]["AgentDeskService"]["service"],
  };
  return { packageDefinition, ...api };
}

/** proto-loader keeps each method's request type name on the definition. */
function requestTypeName(spec: ServiceDefinition[string]): string {
  const described = spec as unknown as { requestType?: { type?: { name?: string } } };
  const name = described.requestType?.type?.name;
  if (name === undefined) throw new Error(`no request type on ${spec.path}`);
  return `casemesh.v1.${name}`;
}

function guardedDecoder(type: protobuf.Type, decode: (bytes: Buffer) => unknown): (bytes: Buffer) => unknown {
  return (bytes) => {
    let decoded: unknown;
    try {
      decoded = decode(bytes);
    } catch (err) {
      const marked = {};
      wireProblems.set(marked, `request: not a valid ${type.name} message (${err instanceof Error ? err.message : String(err)})`);
      return marked;
    }
    const badField = findBadUtf8(type, bytes, "");
    if (badField !== undefined && typeof decoded === "object" && decoded !== null) {
      wireProblems.set(decoded, `${badField}: is not valid UTF-8`);
    }
    return decoded;
  };
}

/** The first string field (dotted path) whose bytes are not valid UTF-8; nested messages are searched too. */
export function findBadUtf8(type: protobuf.Type, bytes: Uint8Array, path: string): string | undefined {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    const wireType = tag & 7;
    if (field === undefined || wireType !== 2 || (field.type !== "string" && !(field.resolvedType instanceof protobuf.Type))) {
      reader.skipType(wireType);
      continue;
    }
    const value = reader.bytes();
    const at = path === "" ? field.name : `${path}.${field.name}`;
    if (field.type === "string") {
      if (!isUtf8(value)) return at;
    } else {
      const nested = findBadUtf8(field.resolvedType as protobuf.Type, value, at);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}
