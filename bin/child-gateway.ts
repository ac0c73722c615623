/**
 * The gRPC gateway as a child of `npm start`: its entry file and its ready
 * message (sent over the IPC channel by runProcess).
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ReadyMessage } from "../observability/index.ts";
import { parseChildMessage, type ChildSpec } from "./child-supervisor.ts";

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

/** The fields of the gateway's ready message that `npm start` reads. */
const GatewayReadyMessage = ReadyMessage.extend({
  role: z.literal("gateway"),
  address: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/),
  metrics: z.url(),
});

/** Reads the gateway's ready message; undefined for any other message. */
export function parseGatewayReady(message: unknown): GatewayReady | undefined {
  const ready = parseChildMessage(GatewayReadyMessage, message);
  return ready === undefined ? undefined : { pid: ready.pid, address: ready.address, metricsUrl: ready.metrics };
}

/** The gateway, for a `ChildSupervisor`. */
export const GATEWAY_CHILD: ChildSpec<GatewayReady> = {
  name: "gateway",
  entry: GATEWAY_ENTRY,
  parseReady: parseGatewayReady,
};
