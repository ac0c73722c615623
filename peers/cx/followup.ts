import { createHash } from "node:crypto";
import { z } from "zod";
import { Capability, Instant, KindName, WorkId } from "../../blackboard/index.ts";
import { type MeshClock, systemMeshClock } from "../../core/index.ts";
import { capability, definePeer, type PeerDefinition } from "../index.ts";

/**
 * The follow-up peer: durable timers. Its capability `followup.schedule` turns
 * a handoff ("email the customer in 24 hours unless the case is resolved")
 * into a `timer.set` fact; its timer loop (followup-timers.ts) fires each due
 * timer exactly once, proven by a `timer.fired` fact. Run it as a process with
 * followup-process.ts.
 */

/** The capability other peers hand off to for scheduled work. */
export const FOLLOWUP_SCHEDULE = "followup.schedule";
/** The follow-up peer's id unless the process is told otherwise. */
export const DEFAULT_FOLLOWUP_PEER_ID = "followup-1";
/** The longest delay a schedule may ask for: a year. */
export const MAX_FOLLOWUP_DELAY_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * The input of a `followup.schedule` need: what to do (`action`, opened as a
 * need when due), when (`delayMs` from when the step runs, or `dueAt`; exactly
 * one), and which fact kinds on the case cancel it. `timerId` names the timer,
 * so a later schedule under the same id moves it; by default it is derived
 * from the need.
 */
export const ScheduleInput = z
  .strictObject({
    purpose: z.string().min(1).max(256),
    delayMs: z.number().int().min(0).max(MAX_FOLLOWUP_DELAY_MS).optional(),
    dueAt: Instant.optional(),
    action: z.strictObject({ capability: Capability, input: z.record(z.string(), z.json()).default({}) }),
    cancelIf: z.array(KindName).max(16).default([]),
    timerId: WorkId.optional(),
  })
  .refine((v) => (v.delayMs === undefined) !== (v.dueAt === undefined), {
    message: "give exactly one of delayMs and dueAt",
    path: ["delayMs"],
  });
/** A parsed `followup.schedule` input. */
export type ScheduleInput = z.infer<typeof ScheduleInput>;

/** The timer id a schedule need sets unless its input names one: stable across re-runs of the step. */
export function scheduleTimerId(needId: string): string {
  const id = `${needId}.timer`;
  return id.length <= 128 ? id : `t-${createHash("sha256").update(needId).digest("hex").slice(0, 40)}`;
}

/** What the follow-up peer is built with. */
export interface FollowupPeerOptions {
  /** @default DEFAULT_FOLLOWUP_PEER_ID */
  id?: string;
  /** @default "1.0.0" */
  version?: string;
  /** The clock `delayMs` counts from; the same one the timer loop reads. @default the wall clock's mesh time */
  clock?: MeshClock;
}

/** The follow-up peer's definition: it serves `followup.schedule` by writing `timer.set`. */
export function followupPeer(options: FollowupPeerOptions = {}): PeerDefinition {
  const clock = options.clock ?? systemMeshClock;
  return definePeer({
    id: options.id ?? DEFAULT_FOLLOWUP_PEER_ID,
    version: options.version ?? "1.0.0",
    capacity: 64,
    capabilities: [
      capability({
        name: FOLLOWUP_SCHEDULE,
        input: ScheduleInput,
        cost: 0,
        async handler(input, ctx) {
          const dueAt = input.dueAt ?? new Date(clock.now() + (input.delayMs ?? 0)).toISOString();
          const timerId = input.timerId ?? scheduleTimerId(ctx.need.needId);
          ctx.log.info({ timerId, dueAt, action: input.action.capability }, "timer set");
          return {
            facts: [
              {
                kind: "timer.set",
                data: { timerId, dueAt, purpose: input.purpose, action: input.action, cancelIf: input.cancelIf },
              },
            ],
          };
        },
      }),
    ],
  });
}
