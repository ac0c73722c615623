import { hostname } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError, envConfigError } from "./errors.ts";

/** Where `npm start` keeps the local nats-server store and blackboard folder. */
export const DEFAULT_DATA_DIR = "./data";
/** The port `npm start` probes for a running server, and spawns one on if none answers. */
export const DEFAULT_LOCAL_NATS_PORT = 4222;
/** The blackboard's /metrics port. 0 picks a free one. */
export const DEFAULT_BLACKBOARD_METRICS_PORT = 9464;
/** How long a claim lives without renewal; the same in every process of a mesh. */
export const DEFAULT_LEASE_MS = 5_000;
/** How often peers announce themselves and auctioneers look at their claims. */
export const DEFAULT_HEARTBEAT_MS = 1_000;
/** How long a draining peer process lets its steps finish. */
export const DEFAULT_DRAIN_GRACE_MS = 10_000;
/** Where the gateway listens for gRPC unless CASEMESH_GATEWAY_ADDRESS says otherwise. */
export const DEFAULT_GATEWAY_ADDRESS = "127.0.0.1:50051";
/** The gateway's /metrics port. 0 picks a free one. */
export const DEFAULT_GATEWAY_METRICS_PORT = 9465;
/** Unary requests (and session messages) one gateway works on at once; past it, RESOURCE_EXHAUSTED. */
export const DEFAULT_GATEWAY_MAX_IN_FLIGHT = 256;
/** Open streams (watches, sessions, desk sign-ins) one gateway holds at once. */
export const DEFAULT_GATEWAY_MAX_STREAMS = 1_024;
/** JetStream's deduplication window for `Nats-Msg-Id`. */
export const DEFAULT_DEDUP_WINDOW_MS = 2 * 60_000;

const port = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a port number`)
    .transform(Number)
    .refine((n) => n >= 0 && n <= 65_535, `${name} must be between 0 and 65535`)
    .default(fallback);

const millis = (name: string, min: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a number of milliseconds`)
    .transform(Number)
    .refine((n) => n >= min, `${name} must be at least ${min}`)
    .default(fallback);

const count = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= 1, `${name} must be at least 1`)
    .default(fallback);

const id = (name: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, `${name} may hold letters, digits, _ and - (at most 64)`)
    .optional();

const natsUrl = z
  .string()
  .trim()
  .min(1)
  .refine(
    (v) => v.split(",").every((u) => /^(nats|tls|ws|wss):\/\/[^\s,]+$/.test(u.trim()) || /^[\w.-]+:\d+$/.test(u.trim())),
    "NATS_URL must be a comma-separated list of nats://host:port URLs",
  );

/** The environment every casemesh process reads; each field's description is its row in docs/configuration.md. */
export const EnvSchema = z.object({
  NATS_URL: natsUrl.optional().meta({ description: "The server(s), comma-separated nats://host:port URLs. Unset: `npm start` uses a server answering on CASEMESH_LOCAL_NATS_PORT or starts one; a blackboard, gateway or peer process run on its own needs it.", whenUnset: "unset" }),
  CASEMESH_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR).describe("Where `npm start` keeps the local nats-server store, the blackboard folder, the development credentials and running-mesh.json."),
  CASEMESH_BLACKBOARD_DIR: z.string().min(1).optional().meta({ description: "The blackboard replica's level folder.", whenUnset: "<data dir>/blackboard" }),
  CASEMESH_LOCAL_NATS_PORT: port("CASEMESH_LOCAL_NATS_PORT", DEFAULT_LOCAL_NATS_PORT).describe("Where `npm start` looks for a running nats-server, and starts one if none answers."),
  CASEMESH_METRICS_HOST: z.string().min(1).default("127.0.0.1").describe("The interface every process serves /metrics on."),
  CASEMESH_BLACKBOARD_METRICS_PORT: port("CASEMESH_BLACKBOARD_METRICS_PORT", DEFAULT_BLACKBOARD_METRICS_PORT).describe("/metrics port of the blackboard (0: any free port); must differ from CASEMESH_LOCAL_NATS_PORT."),
  CASEMESH_REPLICA_ID: id("CASEMESH_REPLICA_ID").meta({ description: "Names the blackboard replica in status answers and logs.", whenUnset: "<host>-<pid>" }),
  CASEMESH_DEDUP_WINDOW_MS: millis("CASEMESH_DEDUP_WINDOW_MS", 1_000, DEFAULT_DEDUP_WINDOW_MS).describe("JetStream's deduplication window for Nats-Msg-Id, in ms (at least 1000)."),
  CASEMESH_STREAM_REPLICAS: z
    .enum(["1", "3", "5"], { message: "CASEMESH_STREAM_REPLICAS must be 1, 3 or 5" })
    .transform(Number)
    .default(1)
    .describe("JetStream replicas of the casemesh streams and buckets: 1 on one server, 3 on a production cluster."),
  CASEMESH_LEASE_MS: millis("CASEMESH_LEASE_MS", 200, DEFAULT_LEASE_MS).describe("How long a claim lives without renewal, in ms; the same in every process of a mesh, and at least twice CASEMESH_HEARTBEAT_MS."),
  CASEMESH_HEARTBEAT_MS: millis("CASEMESH_HEARTBEAT_MS", 50, DEFAULT_HEARTBEAT_MS).describe("How often peers announce their presence and auctioneers check their claims, in ms."),
  CASEMESH_DRAIN_GRACE_MS: millis("CASEMESH_DRAIN_GRACE_MS", 0, DEFAULT_DRAIN_GRACE_MS).describe("How long a draining peer process lets its steps finish before it releases their claims, in ms."),
  CASEMESH_PEER_METRICS_PORT: port("CASEMESH_PEER_METRICS_PORT", 0).describe("/metrics port of a peer process (0: any free port; its \"peers ready\" log line says which)."),
  CASEMESH_HOST_ID: id("CASEMESH_HOST_ID").meta({ description: "Names a peer process as an auctioneer; unique in the mesh. `npm start` names its peer processes <host id>-<peer id>.", whenUnset: "<host>-<pid>" }),
  CASEMESH_GATEWAY_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/, "CASEMESH_GATEWAY_ADDRESS must be host:port, e.g. 127.0.0.1:50051")
    .default(DEFAULT_GATEWAY_ADDRESS)
    .describe("host:port the gateway listens on for gRPC."),
  CASEMESH_GATEWAY_METRICS_PORT: port("CASEMESH_GATEWAY_METRICS_PORT", DEFAULT_GATEWAY_METRICS_PORT).describe("/metrics port of the gateway (0: any free port)."),
  CASEMESH_GATEWAY_ID: id("CASEMESH_GATEWAY_ID").meta({ description: "Names the gateway in the facts it writes and in its logs.", whenUnset: "<host>-<pid>" }),
  CASEMESH_GATEWAY_CREDENTIALS: z.string().min(1).optional().meta({ description: "The gateway's credentials, inline: a JSON list of {id, sha256, channels, desk?, operator?}. Set this or CASEMESH_GATEWAY_CREDENTIALS_FILE, not both; `npm start` makes development ones when neither is set.", whenUnset: "unset" }),
  CASEMESH_GATEWAY_CREDENTIALS_FILE: z.string().min(1).optional().meta({ description: "A file holding the credential list of CASEMESH_GATEWAY_CREDENTIALS.", whenUnset: "unset" }),
  CASEMESH_GATEWAY_TLS_CERT_FILE: z.string().min(1).optional().meta({ description: "The gateway's TLS certificate (PEM); with CASEMESH_GATEWAY_TLS_KEY_FILE it turns TLS on.", whenUnset: "unset (no TLS)" }),
  CASEMESH_GATEWAY_TLS_KEY_FILE: z.string().min(1).optional().meta({ description: "The private key of CASEMESH_GATEWAY_TLS_CERT_FILE (PEM); the two are set together.", whenUnset: "unset" }),
  CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE: z.string().min(1).optional().meta({ description: "Mutual TLS: clients must present a certificate signed by this CA (PEM). Needs the certificate and key.", whenUnset: "unset" }),
  CASEMESH_GATEWAY_MAX_IN_FLIGHT: count("CASEMESH_GATEWAY_MAX_IN_FLIGHT", DEFAULT_GATEWAY_MAX_IN_FLIGHT).describe("Unary calls and session messages one gateway works on at once; past it, RESOURCE_EXHAUSTED."),
  CASEMESH_GATEWAY_MAX_STREAMS: count("CASEMESH_GATEWAY_MAX_STREAMS", DEFAULT_GATEWAY_MAX_STREAMS).describe("Open gRPC streams (WatchCase, Session, Outbox, SignIn) one gateway holds at once; past it, RESOURCE_EXHAUSTED."),
  CASEMESH_CLOCK: z
    .enum(["system", "shared"], { message: "CASEMESH_CLOCK must be system or shared" })
    .default("system")
    .describe("The mesh clock: `system` is the wall clock; `shared` adds an offset the whole mesh follows (KV bucket casemesh_clock), which a demo or test moves forward. `npm start` gives its children `shared` unless this says `system`."),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("The pino log level."),
});

/** Everything a casemesh process reads from its environment, parsed once. */
export interface Config {
  /** Set when the operator points casemesh at a server; otherwise `npm start` finds or spawns one. */
  natsUrl: string | undefined;
  dataDir: string;
  localNatsPort: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  metricsHost: string;
  dedupWindowMs: number;
  /** JetStream replicas of the casemesh streams: 1 on one server, 3 on a production cluster. */
  streamReplicas: number;
  /**
   * The mesh clock: `system` (the wall clock) or `shared` (the wall clock plus
   * an offset the whole mesh follows, see core/shared-clock.ts; `npm start`
   * uses it so a demo or test can move the mesh to tomorrow).
   */
  clock: "system" | "shared";
  peers: {
    leaseMs: number;
    heartbeatMs: number;
    drainGraceMs: number;
    /** /metrics port of a peer process; 0 picks a free one (several peer processes share a machine). */
    metricsPort: number;
    /** Names this process as an auctioneer; unique in the mesh. */
    hostId: string;
  };
  blackboard: {
    dir: string;
    metricsPort: number;
    replicaId: string;
  };
  gateway: GatewayConfig;
}

/** The gateway's part of the configuration. */
export interface GatewayConfig {
  /** host:port to listen on. @default DEFAULT_GATEWAY_ADDRESS */
  address: string;
  metricsPort: number;
  gatewayId: string;
  /** Where the credential hashes come from: inline JSON or a file (exactly one must be set to serve). */
  credentials: { json: string } | { file: string } | undefined;
  /** TLS when set; `clientCaFile` turns on mutual TLS (clients must present a certificate it signed). */
  tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  maxInFlight: number;
  maxStreams: number;
}

/**
 * Parses the environment into a {@link Config}. Throws {@link ConfigError}
 * naming every bad variable, or the conflict between two of them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v !== "" && k in EnvSchema.shape),
  );
  const parsed = EnvSchema.safeParse(relevant);
  if (!parsed.success) throw envConfigError(parsed.error.issues);
  const e = parsed.data;
  const dataDir = resolve(e.CASEMESH_DATA_DIR);
  if (e.CASEMESH_BLACKBOARD_METRICS_PORT !== 0 && e.CASEMESH_BLACKBOARD_METRICS_PORT === e.CASEMESH_LOCAL_NATS_PORT) {
    throw new ConfigError(
      `invalid configuration: CASEMESH_BLACKBOARD_METRICS_PORT and CASEMESH_LOCAL_NATS_PORT are both ${e.CASEMESH_LOCAL_NATS_PORT}`,
      { variables: ["CASEMESH_BLACKBOARD_METRICS_PORT", "CASEMESH_LOCAL_NATS_PORT"] },
    );
  }
  if (e.CASEMESH_HEARTBEAT_MS * 2 > e.CASEMESH_LEASE_MS) {
    throw new ConfigError(
      `invalid configuration: CASEMESH_LEASE_MS (${e.CASEMESH_LEASE_MS}) must be at least twice CASEMESH_HEARTBEAT_MS (${e.CASEMESH_HEARTBEAT_MS}), or live claims would expire between renewals`,
      { variables: ["CASEMESH_LEASE_MS", "CASEMESH_HEARTBEAT_MS"] },
    );
  }
  if (e.CASEMESH_GATEWAY_CREDENTIALS !== undefined && e.CASEMESH_GATEWAY_CREDENTIALS_FILE !== undefined) {
    throw new ConfigError("invalid configuration: set CASEMESH_GATEWAY_CREDENTIALS or CASEMESH_GATEWAY_CREDENTIALS_FILE, not both", {
      variables: ["CASEMESH_GATEWAY_CREDENTIALS", "CASEMESH_GATEWAY_CREDENTIALS_FILE"],
    });
  }
  if ((e.CASEMESH_GATEWAY_TLS_CERT_FILE === undefined) !== (e.CASEMESH_GATEWAY_TLS_KEY_FILE === undefined)) {
    throw new ConfigError("invalid configuration: CASEMESH_GATEWAY_TLS_CERT_FILE and CASEMESH_GATEWAY_TLS_KEY_FILE must be set together", {
      variables: ["CASEMESH_GATEWAY_TLS_CERT_FILE", "CASEMESH_GATEWAY_TLS_KEY_FILE"],
    });
  }
  if (e.CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE !== undefined && e.CASEMESH_GATEWAY_TLS_CERT_FILE === undefined) {
    throw new ConfigError("invalid configuration: CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE (mutual TLS) needs CASEMESH_GATEWAY_TLS_CERT_FILE and CASEMESH_GATEWAY_TLS_KEY_FILE", {
      variables: ["CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE"],
    });
  }
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 40);
  return {
    natsUrl: e.NATS_URL,
    dataDir,
    localNatsPort: e.CASEMESH_LOCAL_NATS_PORT,
    logLevel: e.LOG_LEVEL,
    metricsHost: e.CASEMESH_METRICS_HOST,
    dedupWindowMs: e.CASEMESH_DEDUP_WINDOW_MS,
    streamReplicas: e.CASEMESH_STREAM_REPLICAS,
    clock: e.CASEMESH_CLOCK,
    peers: {
      leaseMs: e.CASEMESH_LEASE_MS,
      heartbeatMs: e.CASEMESH_HEARTBEAT_MS,
      drainGraceMs: e.CASEMESH_DRAIN_GRACE_MS,
      metricsPort: e.CASEMESH_PEER_METRICS_PORT,
      hostId: e.CASEMESH_HOST_ID ?? `${host}-${process.pid}`,
    },
    blackboard: {
      dir: resolve(e.CASEMESH_BLACKBOARD_DIR ?? `${dataDir}/blackboard`),
      metricsPort: e.CASEMESH_BLACKBOARD_METRICS_PORT,
      replicaId: e.CASEMESH_REPLICA_ID ?? `${host}-${process.pid}`,
    },
    gateway: {
      address: e.CASEMESH_GATEWAY_ADDRESS,
      metricsPort: e.CASEMESH_GATEWAY_METRICS_PORT,
      gatewayId: e.CASEMESH_GATEWAY_ID ?? `${host}-${process.pid}`,
      credentials:
        e.CASEMESH_GATEWAY_CREDENTIALS !== undefined
          ? { json: e.CASEMESH_GATEWAY_CREDENTIALS }
          : e.CASEMESH_GATEWAY_CREDENTIALS_FILE !== undefined
            ? { file: resolve(e.CASEMESH_GATEWAY_CREDENTIALS_FILE) }
            : undefined,
      tls:
        e.CASEMESH_GATEWAY_TLS_CERT_FILE !== undefined && e.CASEMESH_GATEWAY_TLS_KEY_FILE !== undefined
          ? {
              certFile: resolve(e.CASEMESH_GATEWAY_TLS_CERT_FILE),
              keyFile: resolve(e.CASEMESH_GATEWAY_TLS_KEY_FILE),
              clientCaFile: e.CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE === undefined ? undefined : resolve(e.CASEMESH_GATEWAY_TLS_CLIENT_CA_FILE),
            }
          : undefined,
      maxInFlight: e.CASEMESH_GATEWAY_MAX_IN_FLIGHT,
      maxStreams: e.CASEMESH_GATEWAY_MAX_STREAMS,
    },
  };
}
