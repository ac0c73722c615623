import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * Get-or-create helpers, so several components (many peers, several writers)
 * in one process can share a registry without registering a name twice.
 */

export function counter<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[] },
): Counter<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] });
}

export function gauge<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[]; collect?: (this: Gauge<L>) => void | Promise<void> },
): Gauge<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  return new Gauge<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] });
}

/** Latency buckets in seconds, from 0.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function histogram<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[]; buckets?: number[] },
): Histogram<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Histogram) return existing as Histogram<L>;
  return new Histogram<L>({
    ...config,
    labelNames: config.labelNames ?? [],
    buckets: config.buckets ?? LATENCY_BUCKETS,
    registers: [registry],
  });
}
