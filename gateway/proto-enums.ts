import type { CaseStatus } from "../blackboard/index.ts";
import type { CaseEventKind__Output as ProtoEventKind } from "./generated/casemesh/v1/CaseEventKind.ts";
import type { CaseStatus__Output as ProtoCaseStatus } from "./generated/casemesh/v1/CaseStatus.ts";

/**
 * The closed string sets of the API as the proto's enums (by name, as
 * proto-loader hands them over with `enums: String`), and back. Fact kinds
 * are an open set (an application registers its own), so a timeline carries
 * them as strings; only the four customer-facing event kinds and the case
 * statuses are enums. Each table names every value of its set, so one added
 * without its proto value fails the type check; test/proto.test.ts checks the
 * other direction.
 */

/** The fact kinds a customer-facing stream carries, as their proto CaseEventKind. */
export const PROTO_EVENT_KINDS = {
  "case.opened": "CASE_EVENT_KIND_CASE_OPENED",
  "message.received": "CASE_EVENT_KIND_MESSAGE_RECEIVED",
  "reply.drafted": "CASE_EVENT_KIND_REPLY_DRAFTED",
  "case.resolved": "CASE_EVENT_KIND_CASE_RESOLVED",
} as const satisfies Record<string, Exclude<ProtoEventKind, "CASE_EVENT_KIND_UNSPECIFIED">>;

/** A fact kind a customer sees as an event. */
export type EventFactKind = keyof typeof PROTO_EVENT_KINDS;

/** The proto name of each case status. */
export const PROTO_CASE_STATUSES = {
  open: "CASE_STATUS_OPEN",
  escalated: "CASE_STATUS_ESCALATED",
  resolved: "CASE_STATUS_RESOLVED",
} as const satisfies Record<CaseStatus, Exclude<ProtoCaseStatus, "CASE_STATUS_UNSPECIFIED">>;

/** The proto CaseEventKind of a customer-facing fact kind. */
export function protoEventKind(kind: EventFactKind): ProtoEventKind {
  return PROTO_EVENT_KINDS[kind];
}

/** The proto CaseStatus of a case status. */
export function protoCaseStatus(status: CaseStatus): ProtoCaseStatus {
  return PROTO_CASE_STATUSES[status];
}

const EVENT_KIND_BY_PROTO = new Map<string, EventFactKind>(Object.entries(PROTO_EVENT_KINDS).map(([kind, proto]) => [proto, kind as EventFactKind]));

/** The fact kind (`reply.drafted`) a proto CaseEventKind stands for, or undefined for UNSPECIFIED and unknown values. */
export function eventKindOf(kind: ProtoEventKind | number): EventFactKind | undefined {
  return typeof kind === "string" ? EVENT_KIND_BY_PROTO.get(kind) : undefined;
}

const CASE_STATUS_BY_PROTO = new Map<string, CaseStatus>(Object.entries(PROTO_CASE_STATUSES).map(([status, proto]) => [proto, status as CaseStatus]));

/** The case status (`resolved`) a proto CaseStatus stands for, or undefined for UNSPECIFIED and unknown values. */
export function caseStatusOf(status: ProtoCaseStatus | number): CaseStatus | undefined {
  return typeof status === "string" ? CASE_STATUS_BY_PROTO.get(status) : undefined;
}
