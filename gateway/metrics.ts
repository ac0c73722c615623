import type { Registry } from "prom-client";
import { counter, gauge, histogram } from "../observability/index.ts";

/**
 * Gateway metrics. Labels are bounded: method is one of the API's methods,
 * channel one of the four channels or `none` (not known yet, or no channel),
 * code a gRPC status name.
 */
export function gatewayMetrics(registry: Registry) {
  return {
    requests: counter(registry, {
      name: "casemesh_gateway_requests_total",
      help: "gRPC calls finished, by method, channel and status code (streams count once, when they end).",
      labelNames: ["method", "channel", "code"] as const,
    }),
    latency: histogram(registry, {
      name: "casemesh_gateway_request_duration_seconds",
      help: "Time to answer a unary gRPC call, by method.",
      labelNames: ["method"] as const,
    }),
    streams: gauge(registry, {
      name: "casemesh_gateway_open_streams",
      help: "Streams open now, by method.",
      labelNames: ["method"] as const,
    }),
    inFlight: gauge(registry, {
      name: "casemesh_gateway_in_flight_requests",
      help: "Unary calls and session messages being worked on now.",
    }),
    events: counter(registry, {
      name: "casemesh_gateway_stream_events_total",
      help: "Events sent on streams, by method.",
      labelNames: ["method"] as const,
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
