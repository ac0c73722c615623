/**
 * The blackboard as a child of `npm start`: its entry file and its
 * "blackboard ready" log line.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseLogLine, type ChildSpec } from "./child-supervisor.ts";

/** The message of the blackboard's log line that says it serves. */
export const BLACKBOARD_READY_MSG = "blackboard ready";

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

/** The fields of a "blackboard ready" log line that `npm start` reads. */
const BlackboardReadyLine = z.object({
  msg: z.literal(BLACKBOARD_READY_MSG),
  pid: z.number().int(),
  metrics: z.url(),
  dir: z.string(),
  appliedSeq: z.number().int().default(0),
});

/** Reads a "blackboard ready" log line; undefined for any other line. */
export function parseBlackboardReadyLine(line: string): BlackboardReady | undefined {
  const ready = parseLogLine(BlackboardReadyLine, line);
  return ready === undefined ? undefined : { pid: ready.pid, metricsUrl: ready.metrics, dir: ready.dir, appliedSeq: ready.appliedSeq };
}

/** The blackboard, for a `ChildSupervisor`. */
export const BLACKBOARD_CHILD: ChildSpec<BlackboardReady> = {
  name: "blackboard",
  entry: BLACKBOARD_ENTRY,
  parseReady: parseBlackboardReadyLine,
};
