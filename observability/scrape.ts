/** Reading a Prometheus text exposition (what /metrics serves): for the demo and tests. */

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/;

/** Every sample of `name`: its labels and value. */
export function samples(body: string, name: string): { labels: Map<string, string>; value: number }[] {
  const found: { labels: Map<string, string>; value: number }[] = [];
  for (const line of body.split("\n")) {
    const m = SAMPLE_LINE.exec(line);
    if (m === null || m[1] !== name) continue;
    const labels = new Map([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] ?? "", x[2] ?? ""]));
    found.push({ labels, value: Number(m[3]) });
  }
  return found;
}

/** The value of the sample of `name` whose labels include `labels`, in any order. */
export function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  return samples(body, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels.get(k) === v))?.value;
}

/** The sum of every sample of `name` (0 when there is none). */
export function sumOf(body: string, name: string): number {
  return samples(body, name).reduce((sum, s) => sum + s.value, 0);
}
