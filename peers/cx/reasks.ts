import type { Counter, Registry } from "prom-client";
import { counter } from "../../observability/index.ts";

/**
 * The re-ask counter: every time the mesh asks a customer for something the
 * case or the customer's memory already held. The goal is zero; a non-zero
 * value is a bug to find, never a cost of doing business. Asking for a thing
 * the customer never gave is not a re-ask and is not counted.
 */

/** The metric's name. */
export const REASKS_METRIC = "casemesh_reasks_total";

/** Gets or creates `casemesh_reasks_total{capability}` in `registry`. */
export function reaskCounter(registry: Registry): Counter<"capability"> {
  return counter(registry, {
    name: REASKS_METRIC,
    help: "Times the mesh asked a customer for something the case or the customer's memory already held, by the asking capability. The goal is zero.",
    labelNames: ["capability"] as const,
  });
}

/** Makes the series of `capability` visible at 0, so a dashboard sees zero rather than nothing. */
export function exposeReasks(registry: Registry, capability: string): void {
  reaskCounter(registry).inc({ capability }, 0);
}

/** Counts one re-ask by `capability`. */
export function countReask(registry: Registry, capability: string): void {
  reaskCounter(registry).inc({ capability });
}
