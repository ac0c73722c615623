/**
 * The gRPC gateway as a child of `npm start`: its entry file and its
 * "gateway ready" log line.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseLogLine, type ChildSpec } from "./child-supervisor.ts";

/** The message of the gateway's log line that says it serves. */
export const GATEWAY_READY_MSG = "gateway ready";

/** The gateway entry point, run with `node --import tsx`. */
export const GATEWAY_ENTRY = fileURLToPath(new URL("../gateway/main.ts", import.meta.url));

/** What a gateway says when it is ready. */
export interface GatewayReady {
  pid: number;
  /** host:port it listens on for gRPC (the real port when 0 was asked for). */
  address: string;
  /** `http://host:port/metrics` */
  metricsUrl: string;
}

/** The fields of a "gateway ready" log line that `npm start` reads. */
const GatewayReadyLine = z.object({
  msg: z.literal(GATEWAY_READY_MSG),
  pid: z.number().int(),
  address: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/),
  metrics: z.url(),
});

/** Reads a "gateway ready" log line; undefined for any other line. */
export function parseGatewayReadyLine(line: string): GatewayReady | undefined {
  const ready = parseLogLine(GatewayReadyLine, line);
  return ready === undefined ? undefined : { pid: ready.pid, address: ready.address, metricsUrl: ready.metrics };
}

/** The gateway, for a `ChildSupervisor`. */
export const GATEWAY_CHILD: ChildSpec<GatewayReady> = {
  name: "gateway",
  entry: GATEWAY_ENTRY,
  parseReady: parseGatewayReadyLine,
};
