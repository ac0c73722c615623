import type { Registry } from "prom-client";
import { counter, gauge, histogram } from "../observability/index.ts";
import { CaseStatus } from "./projection-state.ts";
import type { ProjectionStore } from "./projection-store.ts";

/** Facts refused for breaking their contract; counted by the writer and by every replica. */
export function contractViolations(registry: Registry) {
  return counter(registry, {
    name: "casemesh_contract_violations_total",
    help: "Facts refused because they broke their contract, by kind and where they were caught.",
    labelNames: ["kind", "stage"] as const,
  });
}

/** The metrics of a blackboard replica. Label sets are bounded by contract enums. */
export function blackboardMetrics(registry: Registry, store: () => ProjectionStore | undefined) {
  return {
    projected: counter(registry, {
      name: "casemesh_blackboard_facts_projected_total",
      help: "Facts applied to this replica's projection, by kind.",
      labelNames: ["kind"] as const,
    }),
    deadLetters: counter(registry, {
      name: "casemesh_blackboard_dead_letters_total",
      help: "Log messages dead-lettered instead of projected, by reason (not_json, unknown_kind, contract, subject_mismatch, unverified_account).",
      labelNames: ["reason"] as const,
    }),
    violations: contractViolations(registry),
    conflicts: counter(registry, {
      name: "casemesh_blackboard_conflicts_total",
      help: "Optimistic appends rejected because the case had moved on.",
    }),
    appliedSeq: gauge(registry, {
      name: "casemesh_blackboard_applied_sequence",
      help: "Stream sequence of the last log message this replica applied.",
    }),
    applyDuration: histogram(registry, {
      name: "casemesh_blackboard_apply_duration_seconds",
      help: "Time to apply one log message to the projection (one level batch).",
    }),
    queries: counter(registry, {
      name: "casemesh_blackboard_queries_total",
      help: "Queries answered by this replica, by operation and outcome (ok or an error code).",
      labelNames: ["op", "outcome"] as const,
    }),
    queryDuration: histogram(registry, {
      name: "casemesh_blackboard_query_duration_seconds",
      help: "Time to answer a query, including any wait for minSeq.",
      labelNames: ["op"] as const,
    }),
    cases: gauge(registry, {
      name: "casemesh_cases",
      help: "Cases on the blackboard by status (open, escalated, resolved).",
      labelNames: ["status"] as const,
      async collect() {
        const s = store();
        if (s === undefined) return;
        for (const status of CaseStatus.options) this.set({ status }, await s.statusCount(status));
      },
    }),
  };
}

export type BlackboardMetrics = ReturnType<typeof blackboardMetrics>;
