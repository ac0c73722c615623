import { after } from "node:test";
import type { NatsConnection } from "@nats-io/transport-node";
import { BlackboardReplica } from "../../blackboard/replica.ts";
import { DEFAULT_DEDUP_WINDOW_MS } from "../../core/config.ts";
import { createLogger } from "../../observability/logger.ts";
import { createRegistry } from "../../observability/metrics-server.ts";
import { tempDir } from "./nats.ts";
import type { Registry } from "prom-client";

/** A blackboard replica in this process with its own level folder and registry; stopped after the suite. */
export async function startReplica(
  nc: NatsConnection,
  options: { replicaId?: string; dir?: string; registry?: Registry } = {},
): Promise<BlackboardReplica> {
  const replica = await BlackboardReplica.start({
    nc,
    dir: options.dir ?? (await tempDir("casemesh-bb-")),
    replicaId: options.replicaId ?? "test-replica",
    registry: options.registry ?? createRegistry(),
    logger: createLogger({ role: "blackboard", level: "silent" }),
    dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS,
  });
  after(() => replica.stop());
  return replica;
}
