import { z } from "zod";
import { PeerId, runPeers } from "../index.ts";
import { DEFAULT_FOLLOWUP_PEER_ID, followupPeer } from "./followup.ts";
import { DEFAULT_TIMER_TICK_MS, TimerLoop } from "./followup-timers.ts";
import { clockFromEnv, ConfigError, envConfigError, isMain, type MeshClock } from "../../core/index.ts";

/**
 * The follow-up peer as a process: the `followup.schedule` capability and the
 * timer loop on one NATS connection and one /metrics registry. Environment:
 * what every peer process reads (NATS_URL, CASEMESH_LEASE_MS, ...), plus
 * CASEMESH_FOLLOWUP_PEER_ID, CASEMESH_FOLLOWUP_TICK_MS and
 * CASEMESH_CLOCK_OFFSET_MS (this process's shift from the mesh clock, for tests).
 * Timers are due by the mesh clock (CASEMESH_CLOCK), shifted by that offset.
 *
 * ```sh
 * NATS_URL=nats://127.0.0.1:4222 node --import tsx peers/cx/followup-process.ts
 * ```
 */

/** The follow-up process's own environment; each description is its row in docs/configuration.md. */
export const FollowupEnv = z.object({
  CASEMESH_FOLLOWUP_PEER_ID: PeerId.default(DEFAULT_FOLLOWUP_PEER_ID).describe("The follow-up peer's id (this process reads it instead of PEER_ID); each copy needs its own."),
  CASEMESH_FOLLOWUP_TICK_MS: z
    .string()
    .regex(/^\d+$/, "CASEMESH_FOLLOWUP_TICK_MS must be a number of milliseconds")
    .transform(Number)
    .refine((n) => n >= 10, "CASEMESH_FOLLOWUP_TICK_MS must be at least 10")
    .default(DEFAULT_TIMER_TICK_MS)
    .describe("How often the timer loop asks the blackboard for due timers, in ms (at least 10)."),
});

/** The follow-up process's own settings, parsed from the environment. */
export interface FollowupConfig {
  peerId: string;
  tickMs: number;
  clock: MeshClock;
}

/** Parses the follow-up settings; throws {@link ConfigError} naming the bad variable. */
export function loadFollowupConfig(env: NodeJS.ProcessEnv = process.env): FollowupConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && v !== "" && k in FollowupEnv.shape));
  const parsed = FollowupEnv.safeParse(relevant);
  if (!parsed.success) {
    throw envConfigError(parsed.error.issues);
  }
  return { peerId: parsed.data.CASEMESH_FOLLOWUP_PEER_ID, tickMs: parsed.data.CASEMESH_FOLLOWUP_TICK_MS, clock: clockFromEnv(env) };
}

/**
 * Runs the follow-up peer as this process's job (see {@link runPeers}): the
 * timer loop runs beside the peer, on its connection, and stops (after the
 * tick in progress) before the peer drains. Bad configuration exits 2.
 */
export async function runFollowup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // The mesh clock is known once connected; the env offset shifts it.
  let clock: MeshClock | undefined;
  await runPeers(
    (mesh) => {
      clock = clockFromEnv(env, mesh.clock);
      return [followupPeer({ id: mesh.prepared.peerId, clock })];
    },
    {
    role: "followup",
    env,
    prepare: (processEnv: NodeJS.ProcessEnv) => loadFollowupConfig(processEnv),
    sidecar: async ({ nc, registry, logger, config, prepared: followup }) => {
      clock ??= followup.clock;
      const timers = await TimerLoop.create({
        nc,
        clock,
        registry,
        logger,
        peerId: followup.peerId,
        dedupWindowMs: config.dedupWindowMs,
        streamReplicas: config.streamReplicas,
        tickMs: followup.tickMs,
      });
      timers.start();
      logger.info({ peerId: followup.peerId, tickMs: followup.tickMs, clockSkewMs: clock.now() - Date.now() }, "followup ready");
      return timers;
    },
    },
  );
}

if (isMain(import.meta.url)) await runFollowup();
