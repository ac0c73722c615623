import type { FactKind } from "./contract-kinds.ts";

/**
 * NATS names used by the blackboard. Facts live in one JetStream stream under
 * `casemesh.fact.<caseId>.<kind tokens>`, so a consumer can filter one kind
 * across all cases (`casemesh.fact.*.need.opened`) or one case across kinds.
 */

/** The system of record: every fact of every case. */
export const FACTS_STREAM = "CASEMESH_FACTS";
/** Facts that reached the log but broke their contract, with the reason. */
export const DEADLETTER_STREAM = "CASEMESH_DEADLETTER";
export const FACT_SUBJECTS = "casemesh.fact.>";
export const DEADLETTER_SUBJECTS = "casemesh.deadletter.>";
/** Blackboard queries: `casemesh.bb.<op>`, served by a queue group of replicas. */
export const QUERY_PREFIX = "casemesh.bb";
export const QUERY_QUEUE_GROUP = "casemesh-blackboard";

/** Header naming the case version an optimistic append expects (see writer.ts). */
export const EXPECT_CASE_SEQ_HEADER = "Casemesh-Expect-Case-Seq";
export const TRACEPARENT_HEADER = "traceparent";

/** `casemesh.fact.<caseId>.<kind>` */
export function factSubject(caseId: string, kind: FactKind): string {
  return `casemesh.fact.${caseId}.${kind}`;
}

/** All facts of one kind, across cases: `casemesh.fact.*.<kind>`. */
export function factKindFilter(kind: FactKind): string {
  return `casemesh.fact.*.${kind}`;
}

/** Splits a fact subject into its case id and kind, or returns undefined. */
export function parseFactSubject(subject: string): { caseId: string; kind: string } | undefined {
  const parts = subject.split(".");
  if (parts.length < 4 || parts[0] !== "casemesh" || parts[1] !== "fact") return undefined;
  return { caseId: parts[2] ?? "", kind: parts.slice(3).join(".") };
}

/** `casemesh.deadletter.<seq>`: one subject per dead-lettered log sequence, so it is recorded once. */
export function deadLetterSubject(seq: number): string {
  return `casemesh.deadletter.${seq}`;
}

/** `casemesh.bb.<op>` */
export function querySubject(op: string): string {
  return `${QUERY_PREFIX}.${op}`;
}
