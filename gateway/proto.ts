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
 * so that bytes which are not a valid message, a field sent with the wrong
 * wire type, or a string field that is not valid UTF-8, do not become
 * INTERNAL errors deep in grpc-js (or a misread value): the request arrives
 * at its handler marked with the problem, and the handler answers
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
    // The bytes are checked before they are decoded: protobufjs reads a field
    // by its number alone, so a string sent where an enum is expected would
    // otherwise become some channel.
    let problem: string | undefined;
    try {
      problem = findWireProblem(type, bytes, "");
      if (problem === undefined) return decode(bytes);
    } catch (err) {
      problem = `request: not a valid ${type.name} message (${err instanceof Error ? err.message : String(err)})`;
    }
    const marked = {};
    wireProblems.set(marked, problem);
    return marked;
  };
}

/** The wire type each scalar field type is sent with (a packed repeated field uses 2). */
const WIRE_TYPES: Readonly<Record<string, number>> = {
  double: 1, float: 5, int32: 0, uint32: 0, sint32: 0, fixed32: 5, sfixed32: 5,
  int64: 0, uint64: 0, sint64: 0, fixed64: 1, sfixed64: 1, bool: 0, string: 2, bytes: 2,
};

/**
 * The first known field (dotted path, then what is wrong) sent with another
 * wire type than its .proto type, or a string field whose bytes are not valid
 * UTF-8; nested messages are searched too. Unknown fields are skipped. Throws
 * when the bytes are not a protobuf message at all.
 */
export function findWireProblem(type: protobuf.Type, bytes: Uint8Array, path: string): string | undefined {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    const wireType = tag & 7;
    if (field === undefined) {
      reader.skipType(wireType);
      continue;
    }
    const at = path === "" ? field.name : `${path}.${field.name}`;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    const expected = field.map || nested !== undefined ? 2 : field.resolvedType instanceof protobuf.Enum ? 0 : WIRE_TYPES[field.type];
    const packed = field.repeated && wireType === 2 && expected !== 2;
    if (wireType !== expected && !packed) return `${at}: wrong wire type ${wireType} for a ${field.type} field`;
    if (wireType !== 2 || packed || field.map) {
      reader.skipType(wireType);
      continue;
    }
    const value = reader.bytes();
    if (nested !== undefined) {
      const problem = findWireProblem(nested, value, at);
      if (problem !== undefined) return problem;
    } else if (field.type === "string" && !isUtf8(value)) {
      return `${at}: is not valid UTF-8`;
    }
  }
  return undefined;
}
