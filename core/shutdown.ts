/**
 * When a casemesh process stops: on a signal, or when the process that
 * started it goes away. `npm start` starts its children with an IPC channel
 * (a child sends its ready message on it, see observability/run-process.ts);
 * the operating system closes it when the supervisor exits, however it exits,
 * kill -9 included. A child then stops as it would on SIGTERM (peers drain,
 * the gateway ends its streams) instead of running on with nobody to stop or
 * restart it. A process started any other way has no channel, and only the
 * signals apply.
 */

/** The signals a casemesh process stops on. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Why a process stops: the signal, or `supervisor gone`. */
export type StopReason = StopSignal | "supervisor gone";

/**
 * Calls `gone` once the supervisor's channel closes, at once if it closed
 * before this was called (while the process was starting); never, for a
 * process started without a channel. How long the stop may then take is the
 * caller's to bound: nobody is left to kill the process after a grace.
 */
export function onSupervisorGone(gone: () => void): void {
  // Node defines process.send for a process spawned with a channel, and keeps it after the channel closes.
  if (typeof process.send !== "function") return;
  if (!process.connected) {
    queueMicrotask(gone);
    return;
  }
  process.once("disconnect", gone);
  // The channel alone must not keep the process running.
  process.channel?.unref();
}
