/**
 * When a casemesh process stops: on a signal, or when the process that
 * started it goes away. `npm start` starts its children with an IPC channel
 * (the supervisor never sends on it); the operating system closes it when the
 * supervisor exits, however it exits, kill -9 included. A child then stops
 * as it would on SIGTERM (peers drain, the gateway ends its streams) instead
 * of running on with nobody to stop or restart it. A process started any
 * other way has no channel, and only the signals apply.
 */

/** The signals a casemesh process stops on. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Why a process stops: the signal, or `supervisor gone`. */
export type StopReason = StopSignal | "supervisor gone";

/**
 * Calls `stop` once, with the first reason to stop: SIGINT, SIGTERM, or the
 * supervisor's channel closing.
 */
export function onStop(stop: (reason: StopReason) => void): void {
  let stopping = false;
  const once = (reason: StopReason): void => {
    if (stopping) return;
    stopping = true;
    stop(reason);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => once(signal));
  onSupervisorGone(() => once("supervisor gone"));
}

/**
 * How long a process whose supervisor is gone may take to stop before it
 * exits anyway: nobody is left to kill it after a grace, as the supervisor
 * would (bin/child-supervisor.ts gives 10 s; a peer's drain grace is 10 s).
 */
export const ORPHAN_EXIT_MS = 30_000;

/**
 * Calls `gone` once the supervisor's channel closes, at once if it closed
 * before this was called (while the process was starting); never, for a
 * process started without a channel. Exits with code 1 if the process is
 * still running {@link ORPHAN_EXIT_MS} later.
 */
export function onSupervisorGone(gone: () => void): void {
  // Node defines process.send for a process spawned with a channel, and keeps it after the channel closes.
  if (typeof process.send !== "function") return;
  const orphaned = (): void => {
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    gone();
  };
  if (!process.connected) {
    queueMicrotask(orphaned);
    return;
  }
  process.once("disconnect", orphaned);
  // The channel alone must not keep the process running.
  process.channel?.unref();
}
