/**
 * The reference CX peers as children of `npm start`: one process per copy of
 * each kind, its entry file, the variable that names its peer, and its ready
 * message (sent over the IPC channel by runPeers).
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ReadyMessage } from "../observability/index.ts";
import { parseChildMessage, type ChildSpec } from "./child-supervisor.ts";

/** How to run one kind of reference peer. */
interface PeerKindSpec {
  /** The entry file, run with `node --import tsx`. */
  entry: string;
  /** The environment variable the process reads its peer id from. */
  idVar: string;
}

const cxEntry = (file: string): string => fileURLToPath(new URL(`../peers/cx/${file}`, import.meta.url));

/** The reference peers `npm start` runs, in the order they are listed. */
export const PEER_KINDS = {
  intent: { entry: cxEntry("intent.ts"), idVar: "PEER_ID" },
  identity: { entry: cxEntry("identity.ts"), idVar: "PEER_ID" },
  account: { entry: cxEntry("account.ts"), idVar: "PEER_ID" },
  billing: { entry: cxEntry("billing.ts"), idVar: "PEER_ID" },
  composer: { entry: cxEntry("composer.ts"), idVar: "PEER_ID" },
  followup: { entry: cxEntry("followup-process.ts"), idVar: "CASEMESH_FOLLOWUP_PEER_ID" },
  desk: { entry: cxEntry("desk.ts"), idVar: "PEER_ID" },
} as const satisfies Record<string, PeerKindSpec>;

/** A kind of reference peer: `intent`, `billing`, ... */
export type PeerKind = keyof typeof PEER_KINDS;

/** The kinds, in the order `npm start` lists them. */
export const PEER_KIND_NAMES = Object.keys(PEER_KINDS) as PeerKind[];

/** One peer process `npm start` runs: copy `n` of `kind`. */
export interface PeerCopy {
  kind: PeerKind;
  /** `<kind>-<n>`, counting from 1. */
  peerId: string;
  /** Names the process as an auctioneer; unique in the mesh, the same across its restarts. */
  hostId: string;
}

/** What a peer process says when it is ready. */
export interface PeersReady {
  pid: number;
  hostId: string;
  /** The ids of the peers it hosts. */
  peers: string[];
  /** `http://host:port/metrics` */
  metricsUrl: string;
}

/** The fields of a peer process's ready message that `npm start` reads (its role is its kind). */
const PeersReadyMessage = ReadyMessage.extend({
  hostId: z.string(),
  peers: z.array(z.string()),
  metrics: z.url(),
});

/** Reads a peer process's ready message; undefined for any other message. */
export function parsePeersReady(message: unknown): PeersReady | undefined {
  const ready = parseChildMessage(PeersReadyMessage, message);
  return ready === undefined ? undefined : { pid: ready.pid, hostId: ready.hostId, peers: ready.peers, metricsUrl: ready.metrics };
}

/** One peer copy, for a `ChildSupervisor`: ready once it says it hosts its peer id. */
export function peerChild(copy: PeerCopy): ChildSpec<PeersReady> {
  return {
    name: `peer ${copy.peerId}`,
    entry: PEER_KINDS[copy.kind].entry,
    parseReady: (message) => {
      const ready = parsePeersReady(message);
      return ready?.peers.includes(copy.peerId) ? ready : undefined;
    },
  };
}

/**
 * The environment of one peer copy: its peer id and host id, and /metrics on
 * a free port (the copies share a machine).
 */
export function peerEnv(copy: PeerCopy, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    [PEER_KINDS[copy.kind].idVar]: copy.peerId,
    CASEMESH_HOST_ID: copy.hostId,
    CASEMESH_PEER_METRICS_PORT: "0",
  };
}
