import type { Registry } from "prom-client";
import { counter, gauge, histogram } from "../observability/index.ts";

/** Metrics of the peer runtime: every handoff, auction, lease and step. */
export function peerMetrics(registry: Registry) {
  return {
    handoffs: counter(registry, {
      name: "casemesh_handoffs_total",
      help: "Handoffs by the capability that opened the need, the capability asked for, and outcome (awarded, done, failed, expired, released).",
      labelNames: ["from_capability", "to_capability", "outcome"] as const,
    }),
    claimLatency: histogram(registry, {
      name: "casemesh_need_claim_latency_seconds",
      help: "Time from a need being appended to its first claim being committed.",
      labelNames: ["capability"] as const,
    }),
    stepDuration: histogram(registry, {
      name: "casemesh_step_duration_seconds",
      help: "Time a step handler ran, by capability and outcome (ok, error, timeout).",
      labelNames: ["capability", "outcome"] as const,
    }),
    bids: histogram(registry, {
      name: "casemesh_auction_bids",
      help: "Bids received per auction.",
      labelNames: ["capability"] as const,
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100, 200],
    }),
    leaseExpiries: counter(registry, {
      name: "casemesh_lease_expiries_total",
      help: "Claims whose holder stopped renewing; the need was offered again.",
      labelNames: ["capability"] as const,
    }),
    retries: counter(registry, {
      name: "casemesh_step_retries_total",
      help: "Step runs repeated after the handler threw or timed out.",
      labelNames: ["capability"] as const,
    }),
    refusals: counter(registry, {
      name: "casemesh_step_refusals_total",
      help: "Step results refused at the seam: account data or an account change on a case not verified for that account.",
      labelNames: ["capability"] as const,
    }),
    unserved: gauge(registry, {
      name: "casemesh_needs_unserved",
      help: "Needs waiting because no live peer serves their capability.",
      labelNames: ["capability"] as const,
    }),
    waiting: gauge(registry, {
      name: "casemesh_needs_waiting_requires",
      help: "Needs waiting for the facts they require.",
      labelNames: ["capability"] as const,
    }),
  };
}

export type PeerMetrics = ReturnType<typeof peerMetrics>;
