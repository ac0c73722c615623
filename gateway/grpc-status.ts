import { status, type StatusObject } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import { asCasemeshError, type ErrorCode } from "../core/index.ts";

/**
 * The one place errors become gRPC statuses. A caller's mistake keeps its
 * message (it names the field or what to send); an internal failure is
 * reported as such, without internals.
 */
const BY_CODE: Record<ErrorCode, status> = {
  CONFIG_INVALID: status.INTERNAL,
  CONTRACT_VIOLATION: status.INVALID_ARGUMENT,
  BAD_REQUEST: status.INVALID_ARGUMENT,
  TOO_LARGE: status.RESOURCE_EXHAUSTED,
  CONFLICT: status.FAILED_PRECONDITION,
  NOT_FOUND: status.NOT_FOUND,
  NOT_CAUGHT_UP: status.UNAVAILABLE,
  UNAVAILABLE: status.UNAVAILABLE,
  TIMEOUT: status.DEADLINE_EXCEEDED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  OVERLOADED: status.RESOURCE_EXHAUSTED,
  INTERNAL: status.INTERNAL,
};

/** The gRPC status for anything thrown by a handler. */
export function toGrpcStatus(err: unknown): StatusObject {
  const e = asCasemeshError(err);
  const code = BY_CODE[e.code] ?? status.INTERNAL;
  const details = code === status.INTERNAL ? "internal error; the gateway logged it" : e.message;
  return { code, details, metadata: new Metadata() };
}

/** The name of a status code, for metric labels ("OK", "INVALID_ARGUMENT", ...). */
export function statusName(code: status): string {
  return status[code] ?? "UNKNOWN";
}
