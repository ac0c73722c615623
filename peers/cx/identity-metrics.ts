import type { Counter, Registry } from "prom-client";
import { counter } from "../../observability/index.ts";

/** The identity peer's audit counters; every one of them is also a fact on the case. */
export interface IdentityMetrics {
  /** `casemesh_identity_attempts_total{method,outcome}`: verification attempts and what came of them. */
  attempts: Counter<"method" | "outcome">;
  /** `casemesh_identity_challenges_total{channel}`: one-time codes sent, by the channel they went out on. */
  challenges: Counter<"channel">;
  /** `casemesh_identity_lockouts_total`: accounts locked after too many failed attempts. */
  lockouts: Counter;
  /** `casemesh_identity_links_total`: addresses joined to an account's customer after a verification. */
  links: Counter;
}

/** Gets or creates the identity counters in `registry`. */
export function identityMetrics(registry: Registry): IdentityMetrics {
  return {
    attempts: counter(registry, {
      name: "casemesh_identity_attempts_total",
      help: "Identity verification attempts by method (otp, account_number, channel_address) and outcome (verified, wrong_code, expired, unknown_account, locked).",
      labelNames: ["method", "outcome"] as const,
    }),
    challenges: counter(registry, {
      name: "casemesh_identity_challenges_total",
      help: "One-time codes sent to an account's registered contact, by channel.",
      labelNames: ["channel"] as const,
    }),
    lockouts: counter(registry, {
      name: "casemesh_identity_lockouts_total",
      help: "Accounts locked for self-service verification after too many failed attempts.",
    }),
    links: counter(registry, {
      name: "casemesh_identity_links_total",
      help: "Customer addresses joined to an account's customer after they proved ownership of the account.",
    }),
  };
}
