/** The cross-cutting core every casemesh process uses: errors, config, time, ids, NATS plumbing. */
export * from "./errors.ts";
export { loadConfig, DEFAULT_DATA_DIR, DEFAULT_LOCAL_NATS_PORT, DEFAULT_BLACKBOARD_METRICS_PORT, DEFAULT_DEDUP_WINDOW_MS, DEFAULT_GATEWAY_ADDRESS, DEFAULT_GATEWAY_MAX_IN_FLIGHT, DEFAULT_GATEWAY_MAX_STREAMS } from "./config.ts";
export type { Config, GatewayConfig } from "./config.ts";
export { systemClock, ManualClock, OffsetClock, clockFromEnv, CLOCK_OFFSET_ENV } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { createIdGenerator, newId } from "./ids.ts";
export { isMain } from "./is-main.ts";
export { onStop, onSupervisorGone, STOP_SIGNALS } from "./shutdown.ts";
export type { StopReason, StopSignal } from "./shutdown.ts";
export type { IdGenerator } from "./ids.ts";
export { connectNats, jetStreamAnswers, DEFAULT_RECONNECT_WAIT_MS } from "./nats-connect.ts";
export type { ConnectOptions } from "./nats-connect.ts";
export { NatsServerProcess, DEFAULT_NATS_START_TIMEOUT_MS } from "./nats-server.ts";
export type { NatsServerOptions } from "./nats-server.ts";
