import type { Registry } from "prom-client";
import type { Logger } from "pino";
import { z } from "zod";
import { Capability, type CaseState, type CustomerMemory, type FactData, type FactKind, type StoredFact } from "../blackboard/index.ts";
import { ConfigError, type MeshClock } from "../core/index.ts";
import { PeerId, type CallForProposals, type PeerBidParts } from "./protocol.ts";

/** How long one run of a step may take before it is aborted and retried. */
export const DEFAULT_STEP_TIMEOUT_MS = 30_000;
/** Runs of a failing step before it ends in need.failed. */
export const DEFAULT_MAX_STEP_RUNS = 3;
/** Steps a peer works on at once. */
export const DEFAULT_CAPACITY = 8;

/** The need a step was awarded. */
export interface NeedView {
  needId: string;
  caseId: string;
  capability: string;
  /** Which award this is: 2 and up after an expiry or release. */
  attempt: number;
  /** Stream sequence of the need.opened fact: the case is read at this version. */
  seq: number;
  /** The fact id of the need.opened fact. */
  factId: string;
  requires: string[];
}

/** Everything a step handler gets. */
export interface StepContext {
  need: NeedView;
  /** The case as of the need's sequence (or later), with its facts. */
  case: { state: CaseState; facts: StoredFact[] };
  /** The customer's memory across cases, when the case has a customer. */
  customer: CustomerMemory | null;
  log: Logger;
  metrics: Registry;
  /** Aborted on timeout, lost lease or drain: stop and throw. */
  signal: AbortSignal;
  /** Stable across re-runs and re-awards of this need: use it for side effects outside the mesh. */
  idempotencyKey: string;
  clock: MeshClock;
}

/** A fact a step writes to its case. */
export type StepFact = { [K in FactKind]: { kind: K; data: FactData<K> } }[FactKind];

/** A follow-up need: the handoff this step owns. */
export interface FollowUp {
  capability: string;
  input?: Record<string, z.core.util.JSONType>;
  /** Fact kinds that must be on the case before this need is auctioned. */
  requires?: string[];
  /** Capability to hand to if this need fails. */
  fallback?: string;
}

/** What a step returns: its facts and the needs that follow. */
export interface StepResult {
  facts?: StepFact[];
  needs?: FollowUp[];
}

/** One capability of a peer. */
export interface CapabilitySpec<I = unknown> {
  name: string;
  /** The contract of the need's input; a need whose input breaks it fails at once, without retries. */
  input: z.ZodType<I>;
  /** Skill fit in [0, 1], or a function of the call for proposals. @default 1 */
  fit?: number | ((cfp: CallForProposals) => number);
  /** Relative cost in [0, 1]. @default 0 */
  cost?: number;
  /** Capability to open when this step fails and the need names no fallback. */
  fallback?: string;
  /** @default DEFAULT_STEP_TIMEOUT_MS */
  timeoutMs?: number;
  /** @default DEFAULT_MAX_STEP_RUNS */
  maxRuns?: number;
  handler(input: I, ctx: StepContext): Promise<StepResult>;
}

/** A peer: an id, a version, what it can do, and how it bids. */
export interface PeerDefinition {
  id: string;
  version: string;
  /** @default DEFAULT_CAPACITY */
  capacity?: number;
  /** Version weight for canaries, in [0, 1]. @default 1 */
  versionWeight?: number;
  capabilities: CapabilitySpec[];
  /** Overrides the bid. Return null to decline. Must be cheap: no model or blackboard calls. */
  bid?: (cfp: CallForProposals, parts: PeerBidParts) => PeerBidParts | null;
}

/** Declares a capability; keeps the handler's input type. */
export function capability<I>(spec: CapabilitySpec<I>): CapabilitySpec {
  return spec as CapabilitySpec;
}

const PeerShape = z.object({
  id: PeerId,
  version: z.string().min(1).max(64),
  capacity: z.number().int().min(1).max(10_000).optional(),
  versionWeight: z.number().min(0).max(1).optional(),
  capabilities: z.array(z.object({ name: Capability, cost: z.number().min(0).max(1).optional(), fallback: Capability.optional() })).min(1),
});

/** Checks a peer definition and returns it; throws {@link ConfigError} naming the field. */
export function definePeer(def: PeerDefinition): PeerDefinition {
  const parsed = PeerShape.safeParse(def);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`peer ${String(def.id)}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const names = def.capabilities.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new ConfigError(`peer ${def.id}: a capability is declared twice`);
  return def;
}
