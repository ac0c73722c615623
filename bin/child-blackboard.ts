/**
 * The blackboard as a child of `npm start`: its entry file and its ready
 * message (sent over the IPC channel by runProcess).
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ReadyMessage } from "../observability/index.ts";
import { parseChildMessage, type ChildSpec } from "./child-supervisor.ts";

/** The blackboard entry point, run with `node --import tsx`. */
export const BLACKBOARD_ENTRY = fileURLToPath(new URL("../blackboard/main.ts", import.meta.url));

/** What a blackboard says when it is ready. */
export interface BlackboardReady {
  pid: number;
  /** `http://host:port/metrics` */
  metricsUrl: string;
  /** The blackboard's level folder. */
  dir: string;
  appliedSeq: number;
}

/** The fields of the blackboard's ready message that `npm start` reads. */
const BlackboardReadyMessage = ReadyMessage.extend({
  role: z.literal("blackboard"),
  metrics: z.url(),
  dir: z.string(),
  appliedSeq: z.number().int().default(0),
});

/** Reads the blackboard's ready message; undefined for any other message. */
export function parseBlackboardReady(message: unknown): BlackboardReady | undefined {
  const ready = parseChildMessage(BlackboardReadyMessage, message);
  return ready === undefined ? undefined : { pid: ready.pid, metricsUrl: ready.metrics, dir: ready.dir, appliedSeq: ready.appliedSeq };
}

/** The blackboard, for a `ChildSupervisor`. */
export const BLACKBOARD_CHILD: ChildSpec<BlackboardReady> = {
  name: "blackboard",
  entry: BLACKBOARD_ENTRY,
  parseReady: parseBlackboardReady,
};
