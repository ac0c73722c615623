import { Registry } from "prom-client";
import type { StepContext } from "../index.ts";
import { type Reasoner, type ReasonerDeps, reasonerFromEnv } from "./reasoners/index.ts";

/**
 * How a CX peer gets its reasoner: a ready one, or a factory called once per
 * metrics registry with that registry (so a Claude reasoner's token metrics
 * land on the /metrics of the process that hosts the peer). By default the
 * factory is {@link reasonerFromEnv} over `process.env`: rules, or Claude when
 * ANTHROPIC_API_KEY is set.
 */
export type ReasonerSource = Reasoner | ((deps: ReasonerDeps) => Reasoner);

/** The default source: rules, or Claude when the process environment names a key. */
export const envReasoner: ReasonerSource = (deps) => reasonerFromEnv(process.env, deps);

/** Resolves `source` for a step, creating a factory's reasoner once per registry. */
export function reasonerResolver(source: ReasonerSource = envReasoner): (ctx: Pick<StepContext, "metrics" | "log">) => Reasoner {
  if (typeof source !== "function") return () => source;
  const made = new WeakMap<Registry, Reasoner>();
  return (ctx) => {
    let reasoner = made.get(ctx.metrics);
    if (reasoner === undefined) {
      reasoner = source({ metrics: ctx.metrics, log: ctx.log });
      made.set(ctx.metrics, reasoner);
    }
    return reasoner;
  };
}

/**
 * Checks the reasoner environment before a process starts serving (in
 * runPeers' `prepare`), so a bad ANTHROPIC_BASE_URL stops it at once, exit 2,
 * instead of failing its first step. @throws ConfigError naming the variable.
 */
export function checkReasonerEnv(env: NodeJS.ProcessEnv = process.env): void {
  reasonerFromEnv(env, { metrics: new Registry() });
}
