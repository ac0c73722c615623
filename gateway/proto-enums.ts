import type { CaseStatus, FactKind } from "../blackboard/index.ts";
import type { CaseStatus__Output as ProtoCaseStatus } from "./generated/casemesh/v1/CaseStatus.ts";
import type { FactKind__Output as ProtoFactKind } from "./generated/casemesh/v1/FactKind.ts";

/**
 * The blackboard's closed string sets as the proto's enums (by name, as
 * proto-loader hands them over with `enums: String`), and back. Each table
 * names every blackboard value, so a fact kind or a case status added without
 * its proto value fails the type check; test/proto.test.ts checks the other
 * direction (every proto value names one).
 */

/** The proto name of each fact kind: FACT_KIND_ and the kind upper-cased, dots as underscores. */
export const PROTO_FACT_KINDS = {
  "case.opened": "FACT_KIND_CASE_OPENED",
  "message.received": "FACT_KIND_MESSAGE_RECEIVED",
  "customer.linked": "FACT_KIND_CUSTOMER_LINKED",
  "preference.noted": "FACT_KIND_PREFERENCE_NOTED",
  "need.opened": "FACT_KIND_NEED_OPENED",
  "need.claimed": "FACT_KIND_NEED_CLAIMED",
  "need.done": "FACT_KIND_NEED_DONE",
  "need.failed": "FACT_KIND_NEED_FAILED",
  "intent.classified": "FACT_KIND_INTENT_CLASSIFIED",
  "identity.verified": "FACT_KIND_IDENTITY_VERIFIED",
  "identity.challenged": "FACT_KIND_IDENTITY_CHALLENGED",
  "identity.attempted": "FACT_KIND_IDENTITY_ATTEMPTED",
  "identity.locked": "FACT_KIND_IDENTITY_LOCKED",
  "account.loaded": "FACT_KIND_ACCOUNT_LOADED",
  "credit.applied": "FACT_KIND_CREDIT_APPLIED",
  "escalation.requested": "FACT_KIND_ESCALATION_REQUESTED",
  "reply.drafted": "FACT_KIND_REPLY_DRAFTED",
  "reply.delivered": "FACT_KIND_REPLY_DELIVERED",
  "timer.set": "FACT_KIND_TIMER_SET",
  "timer.fired": "FACT_KIND_TIMER_FIRED",
  "case.resolved": "FACT_KIND_CASE_RESOLVED",
} as const satisfies Record<FactKind, Exclude<ProtoFactKind, "FACT_KIND_UNSPECIFIED">>;

/** The proto name of each case status. */
export const PROTO_CASE_STATUSES = {
  open: "CASE_STATUS_OPEN",
  escalated: "CASE_STATUS_ESCALATED",
  resolved: "CASE_STATUS_RESOLVED",
} as const satisfies Record<CaseStatus, Exclude<ProtoCaseStatus, "CASE_STATUS_UNSPECIFIED">>;

/** The proto FactKind of a fact kind name; FACT_KIND_UNSPECIFIED for a name that is not a known kind. */
export function protoFactKind(kind: string): ProtoFactKind {
  return Object.hasOwn(PROTO_FACT_KINDS, kind) ? PROTO_FACT_KINDS[kind as FactKind] : "FACT_KIND_UNSPECIFIED";
}

/** The proto CaseStatus of a case status. */
export function protoCaseStatus(status: CaseStatus): ProtoCaseStatus {
  return PROTO_CASE_STATUSES[status];
}

const FACT_KIND_BY_PROTO = new Map<string, FactKind>(Object.entries(PROTO_FACT_KINDS).map(([kind, proto]) => [proto, kind as FactKind]));

/** The fact kind name (`need.claimed`) a proto FactKind stands for, or undefined for UNSPECIFIED and unknown values. */
export function factKindOf(kind: ProtoFactKind | number): FactKind | undefined {
  return typeof kind === "string" ? FACT_KIND_BY_PROTO.get(kind) : undefined;
}

const CASE_STATUS_BY_PROTO = new Map<string, CaseStatus>(Object.entries(PROTO_CASE_STATUSES).map(([status, proto]) => [proto, status as CaseStatus]));

/** The case status (`resolved`) a proto CaseStatus stands for, or undefined for UNSPECIFIED and unknown values. */
export function caseStatusOf(status: ProtoCaseStatus | number): CaseStatus | undefined {
  return typeof status === "string" ? CASE_STATUS_BY_PROTO.get(status) : undefined;
}
