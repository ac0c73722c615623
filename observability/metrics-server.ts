import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry, collectDefaultMetrics } from "prom-client";

const MISNAMED_DEFAULT_GAUGES = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

/**
 * Creates the metrics registry of one process: one registry per process (or
 * per test), never prom-client's global one, with Node's default metrics
 * prefixed `casemesh_` (casemesh_process_cpu_seconds_total, casemesh_nodejs_eventloop_lag_seconds, ...).
 */
export function createRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: "casemesh_" });
  // prom-client names these gauges `_total`, which `promtool check metrics`
  // rightly rejects; casemesh serves only names that pass it.
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(`casemesh_${name}`);
  return registry;
}

export interface MetricsServer {
  /** `http://host:port/metrics` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `registry` on `GET /metrics` (and `GET /healthz`). Port 0 picks a free one. */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      registry
        .metrics()
        .then((body) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(body);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err));
        });
      return;
    }
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found: try /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}/metrics`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
