/**
 * How many copies of each reference peer `npm start` runs:
 * CASEMESH_SCALE_<KIND> (CASEMESH_SCALE_BILLING=2), 1 by default, 0 for none.
 */
import { z } from "zod";
import { ConfigError } from "../core/index.ts";
import { PEER_KIND_NAMES, type PeerCopy, type PeerKind } from "./child-peers.ts";

/** Copies of each peer kind unless its CASEMESH_SCALE_<KIND> says otherwise. */
export const DEFAULT_PEER_SCALE = 1;
/** The most copies of one kind `npm start` runs on one machine. */
export const MAX_PEER_SCALE = 32;
/** The prefix of the scale variables. */
export const SCALE_VAR_PREFIX = "CASEMESH_SCALE_";

/** The scale variable of `kind`: `CASEMESH_SCALE_BILLING`. */
export function scaleVar(kind: PeerKind): string {
  return `${SCALE_VAR_PREFIX}${kind.toUpperCase()}`;
}

const scale = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number of copies (0 turns them off)`)
    .transform(Number)
    .refine((n) => n <= MAX_PEER_SCALE, `${name} must be at most ${MAX_PEER_SCALE}`)
    .default(DEFAULT_PEER_SCALE)
    .describe(`Copies of this reference peer \`npm start\` runs (0: none, at most ${MAX_PEER_SCALE}); copy n is <kind>-n.`);

/** The CASEMESH_SCALE_<KIND> variables of `npm start`; each description is its row in docs/configuration.md. */
export const ScaleEnv = z.strictObject(Object.fromEntries(PEER_KIND_NAMES.map((kind) => [scaleVar(kind), scale(scaleVar(kind))])));

/** Copies to run of each peer kind. */
export type PeerScale = Record<PeerKind, number>;

/**
 * Parses the CASEMESH_SCALE_<KIND> variables (empty counts as unset).
 * @throws ConfigError naming each bad variable, and any CASEMESH_SCALE_ variable that names no kind.
 */
export function loadPeerScale(env: NodeJS.ProcessEnv = process.env): PeerScale {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v.trim() !== "" && k.startsWith(SCALE_VAR_PREFIX)),
  );
  const parsed = ScaleEnv.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) =>
      i.code === "unrecognized_keys"
        ? `${i.keys.join(", ")}: names no peer kind (${PEER_KIND_NAMES.map(scaleVar).join(", ")})`
        : `${i.path.join(".")}: ${i.message}`,
    );
    throw new ConfigError(`invalid configuration: ${lines.join("; ")}`);
  }
  return Object.fromEntries(PEER_KIND_NAMES.map((kind) => [kind, parsed.data[scaleVar(kind)] ?? DEFAULT_PEER_SCALE])) as PeerScale;
}

/** Host ids, as every casemesh process checks them (CASEMESH_HOST_ID). */
const HostId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * The peer processes to run: copy n of each kind is `<kind>-<n>` on host
 * `<hostBase>-<kind>-<n>`. @throws ConfigError when `hostBase` is too long for that.
 */
export function planPeers(scale: PeerScale, hostBase: string): PeerCopy[] {
  const copies = PEER_KIND_NAMES.flatMap((kind) =>
    Array.from({ length: scale[kind] }, (_, i): PeerCopy => ({ kind, peerId: `${kind}-${i + 1}`, hostId: `${hostBase}-${kind}-${i + 1}` })),
  );
  const bad = copies.find((c) => !HostId.safeParse(c.hostId).success);
  if (bad !== undefined) {
    throw new ConfigError(
      `invalid configuration: CASEMESH_HOST_ID: the peer host ids are <host id>-<peer id> (${bad.hostId}), which must be at most 64 letters, digits, _ or -; choose a shorter CASEMESH_HOST_ID`,
    );
  }
  return copies;
}
