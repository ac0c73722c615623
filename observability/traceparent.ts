import { randomBytes } from "node:crypto";

/**
 * W3C trace context (`traceparent`), carried in NATS headers, gRPC metadata and
 * on every fact, so one customer message can be followed across processes.
 */
export const TRACEPARENT_PATTERN = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Starts a new trace: version 00, random trace and span ids, sampled. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
}

/** Continues `parent`'s trace with a new span id; starts a new trace if `parent` is absent or malformed. */
export function childTraceparent(parent: string | null | undefined): string {
  if (parent === null || parent === undefined || !TRACEPARENT_PATTERN.test(parent)) return newTraceparent();
  const [version, traceId, , flags] = parent.split("-");
  return `${version}-${traceId}-${randomBytes(8).toString("hex")}-${flags}`;
}
