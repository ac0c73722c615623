/**
 * The human desk peer: it represents the human agents signed in on the
 * gateway's agent desk in auctions for human capabilities (`human.billing`,
 * `human.triage`, ...). It bids only while a signed-in agent with the skill
 * has room, offers the work to that agent on the desk board with a summary
 * (the gateway adds the case's timeline), and holds the need while the person
 * works it: resolved at the desk, the need is done; not accepted within the
 * reservation, declined or handed back, the need goes back to auction as a
 * new need of the same capability that remembers who passed it over and the
 * hand-back note. An agent away from the desk for the absence grace while
 * holding the case has it handed back for them (desk-absence.ts). Run it on its own with
 * `NATS_URL=… node --import tsx peers/cx/desk.ts`.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import { z } from "zod";
import {
  AgentId,
  type AgentRoom,
  Capability,
  DEFAULT_DESK_HEARTBEAT_MS,
  DeskAgentsView,
  DeskBoard,
  type DeskOffer,
  OfferStateError,
  offerToken,
} from "../../blackboard/index.ts";
import { capability, definePeer, type PeerDefinition, type PeerHost, runPeers, type StepContext, type StepResult } from "../index.ts";
import { type ContextHierarchy, loadContextHierarchy } from "./context/index.ts";
import { DEFAULT_ABSENCE_GRACE_MS, waitWhileHeld } from "./desk-absence.ts";
import { summarizeCase } from "./desk-summary.ts";
import { type Reasoner, reasonerFromEnv } from "./reasoners/index.ts";
import { connectNats, envConfigError, isMain, NotFoundError } from "../../core/index.ts";

/** The human capabilities a desk peer serves unless told otherwise. */
export const DEFAULT_DESK_CAPABILITIES: readonly string[] = ["human.billing", "human.identity", "human.triage", "human.review"];
/** How long an agent has to accept an offer before it goes back to auction. */
export const DEFAULT_RESERVATION_MS = 30_000;
/** How long one run of a human step may hold its need: a person's working day. */
export const DEFAULT_DESK_STEP_TIMEOUT_MS = 8 * 3600_000;
/** Cases one desk peer process holds at once (offered or being worked); agents' own capacities limit it first. */
export const DEFAULT_DESK_PEER_CAPACITY = 1_000;
/** The desk peer's id unless the process is told otherwise (PEER_ID). */
export const DEFAULT_DESK_PEER_ID = "desk-1";
/** The most agents a need remembers as having passed it over (the latest are kept). */
export const MAX_PASSED_OVER = 64;
/** The note an offer gets when the desk peer expires it at the end of its reservation. */
export const RESERVATION_LAPSED_NOTE = "the reservation expired";

/**
 * The input of a human need. Every field is optional and unknown fields are
 * kept: billing's `{reason, accountId, chargeIds, amount}` and a failed
 * step's `{failedNeedId, failedCapability, reason}` both fit, and a need
 * re-opened by this peer carries them on.
 */
export const HumanNeedInput = z.looseObject({
  /** Why the case needs a person: the first line of the summary. */
  reason: z.string().min(1).max(2_000).optional(),
  /** Agents who let this work lapse, declined it or handed it back, oldest first: offered it again only when nobody else can take it. */
  passedOver: z.array(AgentId).max(MAX_PASSED_OVER).optional(),
  /** The note of the last agent who handed the case back. */
  handBack: z.strictObject({ agentId: AgentId, note: z.string().min(1).max(2_000) }).optional(),
});
export type HumanNeedInput = z.infer<typeof HumanNeedInput>;

/** The desk peer's own configuration. */
export interface DeskConfig {
  /** @default DEFAULT_DESK_PEER_ID (the process passes PEER_ID, parsed by DeskEnv) */
  id: string;
  /** @default DEFAULT_DESK_CAPABILITIES */
  capabilities: string[];
  /** @default DEFAULT_RESERVATION_MS */
  reservationMs: number;
  /** @default DEFAULT_DESK_STEP_TIMEOUT_MS */
  stepTimeoutMs: number;
  /** How long the agent holding an accepted case may be away from the desk before the case is handed back. @default DEFAULT_ABSENCE_GRACE_MS */
  absenceGraceMs: number;
}

const wholeMs = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, `${name} must be a whole number of milliseconds`)
    .transform(Number)
    .refine((n) => n >= min, `${name} must be at least ${min}`);

/** The desk peer's environment; each description is its row in docs/configuration.md. */
export const DeskEnv = z.object({
  PEER_ID: AgentId.optional().meta({ description: "The desk peer's id; each copy needs its own.", whenUnset: DEFAULT_DESK_PEER_ID }),
  CASEMESH_DESK_CAPABILITIES: z
    .string()
    .transform((s) => s.split(",").map((c) => c.trim()).filter((c) => c !== ""))
    .pipe(z.array(Capability).min(1, "CASEMESH_DESK_CAPABILITIES must name at least one capability, e.g. human.billing"))
    .optional()
    .meta({ description: "The capabilities the desk peer bids for on behalf of the signed-in agents, comma-separated.", whenUnset: DEFAULT_DESK_CAPABILITIES.join(",") }),
  CASEMESH_DESK_RESERVATION_MS: wholeMs("CASEMESH_DESK_RESERVATION_MS", 100)
    .optional()
    .meta({ description: "How long an offer waits for the agent to accept it, in ms.", whenUnset: String(DEFAULT_RESERVATION_MS) }),
  CASEMESH_DESK_STEP_TIMEOUT_MS: wholeMs("CASEMESH_DESK_STEP_TIMEOUT_MS", 1_000)
    .optional()
    .meta({ description: "How long a human may hold an accepted case before the step times out, in ms.", whenUnset: String(DEFAULT_DESK_STEP_TIMEOUT_MS) }),
  CASEMESH_DESK_ABSENCE_GRACE_MS: wholeMs("CASEMESH_DESK_ABSENCE_GRACE_MS", 100)
    .optional()
    .meta({ description: "How long the agent holding an accepted case may be away from the desk before the desk peer hands the case back, in ms.", whenUnset: String(DEFAULT_ABSENCE_GRACE_MS) }),
});

/** Parses the desk peer's environment (empty variables count as unset). @throws ConfigError naming the bad variable. */
export function loadDeskConfig(env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && v.trim() !== "" && k in DeskEnv.shape));
  const parsed = DeskEnv.safeParse(relevant);
  if (!parsed.success) {
    throw envConfigError(parsed.error.issues);
  }
  const e = parsed.data;
  return {
    id: e.PEER_ID ?? DEFAULT_DESK_PEER_ID,
    capabilities: e.CASEMESH_DESK_CAPABILITIES ?? [...DEFAULT_DESK_CAPABILITIES],
    reservationMs: e.CASEMESH_DESK_RESERVATION_MS ?? DEFAULT_RESERVATION_MS,
    stepTimeoutMs: e.CASEMESH_DESK_STEP_TIMEOUT_MS ?? DEFAULT_DESK_STEP_TIMEOUT_MS,
    absenceGraceMs: e.CASEMESH_DESK_ABSENCE_GRACE_MS ?? DEFAULT_ABSENCE_GRACE_MS,
  };
}

/** The desk board as the desk peer sees it: the board and the live agents. */
export interface DeskAccess {
  board: DeskBoard;
  agents: DeskAgentsView;
  /** Stops watching the agents. */
  close(): void;
}

/**
 * Opens the desk board (creating its buckets if needed) and starts the live
 * view of signed-in agents. `heartbeatMs` must be the gateways' desk
 * heartbeat. @default DEFAULT_DESK_HEARTBEAT_MS
 */
export async function openDeskAccess(nc: NatsConnection, log: Logger, options: { heartbeatMs?: number; replicas?: number } = {}): Promise<DeskAccess> {
  const board = await DeskBoard.open(nc, { heartbeatMs: options.heartbeatMs ?? DEFAULT_DESK_HEARTBEAT_MS, ...(options.replicas === undefined ? {} : { replicas: options.replicas }) });
  const agents = DeskAgentsView.start(board, log);
  return { board, agents, close: () => agents.stop() };
}

/** What the desk peer is made of. */
export interface DeskPeerOptions {
  desk: Pick<DeskAccess, "board" | "agents">;
  /** @default loadDeskConfig() defaults */
  config?: Partial<DeskConfig>;
  /** @default reasonerFromEnv(process.env), made on first use with the step's metrics registry */
  reasoner?: Reasoner;
  /** @default loadContextHierarchy() */
  hierarchy?: ContextHierarchy;
}

/**
 * Builds the desk peer: one peer serving every configured human capability
 * (its bid function answers per capability from the live agent view).
 */
export function deskPeer(options: DeskPeerOptions): PeerDefinition {
  const { board, agents } = options.desk;
  const config: DeskConfig = {
    id: options.config?.id ?? DEFAULT_DESK_PEER_ID,
    capabilities: options.config?.capabilities ?? [...DEFAULT_DESK_CAPABILITIES],
    reservationMs: options.config?.reservationMs ?? DEFAULT_RESERVATION_MS,
    stepTimeoutMs: options.config?.stepTimeoutMs ?? DEFAULT_DESK_STEP_TIMEOUT_MS,
    absenceGraceMs: options.config?.absenceGraceMs ?? DEFAULT_ABSENCE_GRACE_MS,
  };
  const hierarchy = options.hierarchy ?? loadContextHierarchy();
  let reasoner = options.reasoner;
  const reasonerFor = (ctx: StepContext): Reasoner => (reasoner ??= reasonerFromEnv(process.env, { metrics: ctx.metrics, log: ctx.log }));

  async function serve(input: HumanNeedInput, ctx: StepContext): Promise<StepResult> {
    const skill = ctx.need.capability;
    const passed = input.passedOver ?? [];
    /** Back to auction: the same capability as a new need, remembering who passed it over and why. */
    const reopen = (why: string, agentId?: string, handBack?: { agentId: string; note: string }): StepResult => {
      ctx.log.info({ agentId, why }, "the need goes back to auction");
      const passedOver = agentId === undefined ? passed : [...passed.filter((a) => a !== agentId), agentId].slice(-MAX_PASSED_OVER);
      const next = { ...input, passedOver, ...(handBack === undefined ? {} : { handBack }) } as Record<string, z.core.util.JSONType>;
      return { needs: [{ capability: skill, input: next }] };
    };

    const token = offerToken(ctx.need.needId);
    // A re-run or a later holder of this need finds the offer an earlier run
    // made (same token), also when its agent has left the desk since.
    let current = await findOffer(board, token, ctx.need.needId);
    if (current === undefined) {
      const room = pick(agents.withSkill(skill), passed, ctx);
      if (room === undefined) return reopen("no signed-in agent with the skill has room now");
      const { agent } = room;
      const release = agents.hold(agent.agentId);
      try {
        const summary = await summarizeCase({
          reasoner: reasonerFor(ctx),
          hierarchy,
          facts: ctx.case.facts,
          reason: input.reason,
          handBack: input.handBack,
          signal: ctx.signal,
          onFallback: (err) => ctx.log.warn({ err: String(err) }, "the reasoner failed; offering with the rules summary"),
        });
        current = await makeOffer(board, {
          agentId: agent.agentId,
          caseId: ctx.need.caseId,
          needId: ctx.need.needId,
          capability: skill,
          caseSeq: ctx.need.seq,
          summary,
          expiresAt: new Date(Date.now() + config.reservationMs).toISOString(),
          token,
        });
        ctx.log.info({ agentId: agent.agentId, offerId: current.offerId, expiresAt: current.expiresAt }, "offered to a person");
      } catch (err) {
        release();
        throw err;
      }
      return follow(current, ctx, reopen, release);
    }
    ctx.log.info({ offerId: current.offerId, state: current.state }, "continuing with this need's offer");
    return follow(current, ctx, reopen, current.state === "offered" ? agents.hold(current.agentId) : () => undefined);
  }

  /**
   * Follows an offer to its end. On abort (lost lease, drain, timeout) the
   * offer is left as it is: the need's next holder finds it by its token and
   * carries on, and an offer nobody follows lapses at its reservation.
   */
  async function follow(
    start: DeskOffer,
    ctx: StepContext,
    reopen: (why: string, agentId?: string, handBack?: { agentId: string; note: string }) => StepResult,
    release: () => void,
  ): Promise<StepResult> {
    const { offerId, agentId } = start;
    let offer: DeskOffer | undefined = start;
    try {
      for (;;) {
        if (offer === undefined) return reopen("the offer was taken back", agentId);
        if (offer.state !== "offered") release();
        switch (offer.state) {
          case "offered": {
            const waited = await board.waitForOffer(offerId, (o) => o?.state !== "offered", Date.parse(offer.expiresAt), ctx.signal);
            offer = waited.offer;
            if (waited.timedOut) offer = await lapse(offerId);
            break;
          }
          case "accepted":
            ctx.log.info({ agentId, offerId }, "accepted; the person is working the case");
            // Until resolved or handed back, by the agent or, once they have been away for the grace, for them.
            offer = await waitWhileHeld({ offer, graceMs: config.absenceGraceMs, board, agents, log: ctx.log, metrics: ctx.metrics, signal: ctx.signal });
            break;
          case "resolved":
            ctx.log.info({ agentId, offerId, seq: offer.seq }, "resolved at the desk");
            return {};
          case "handed_back":
            return reopen("handed back", agentId, { agentId, note: offer.note ?? "handed back without a note" });
          case "declined":
            return reopen("declined", agentId);
          case "expired":
            return reopen(offer.note ?? RESERVATION_LAPSED_NOTE, agentId);
        }
      }
    } finally {
      release();
    }
  }

  /** Marks an offer still open at the end of its reservation expired; whatever beat us to it (an Accept) stands. */
  async function lapse(offerId: string): Promise<DeskOffer | undefined> {
    try {
      return (await board.transition(offerId, ["offered"], "expired", { note: RESERVATION_LAPSED_NOTE })).value;
    } catch (err) {
      if (err instanceof OfferStateError) return (await board.getOffer(offerId))?.value;
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  return definePeer({
    id: config.id,
    version: "1.0.0",
    capacity: DEFAULT_DESK_PEER_CAPACITY,
    capabilities: config.capabilities.map((name) =>
      capability({
        name,
        input: HumanNeedInput,
        fit: 1,
        // A person's time is dearer than a peer's.
        cost: 0.5,
        timeoutMs: config.stepTimeoutMs,
        handler: serve,
      }),
    ),
    // Cheap: reads the live agent view only. No agent with the skill and room: decline.
    // A re-award (attempt 2 and up: the last holder died, drained or lost its
    // lease) may be a case a person already holds, which fills their room:
    // bid while anyone with the skill is signed in; the step finds the offer,
    // or hands the need back to auction.
    bid: (cfp, parts) => {
      const best = agents.best(cfp.capability);
      if (best !== undefined) return { ...parts, load: best.spare / best.agent.capacity };
      return cfp.attempt > 1 && agents.withSkill(cfp.capability).length > 0 ? { ...parts, load: 0 } : null;
    },
  });
}

/**
 * The agent to offer a need to: among live agents with the skill and room,
 * those who have not passed it over (all of them when everyone has), then
 * one who already worked this case, then the most spare room, then by id.
 */
function pick(rooms: AgentRoom[], passedOver: readonly string[], ctx: StepContext): AgentRoom | undefined {
  const open = rooms.filter((r) => r.spare > 0);
  const fresh = open.filter((r) => !passedOver.includes(r.agent.agentId));
  const pool = fresh.length > 0 ? fresh : open;
  const worked = new Set(ctx.case.facts.flatMap((f) => (f.fact.source.peer.startsWith("desk:") ? [f.fact.source.peer.slice("desk:".length)] : [])));
  const score = (r: AgentRoom) => (worked.has(r.agent.agentId) ? 1 : 0) * 10 + r.spare / r.agent.capacity;
  return [...pool].sort((a, b) => score(b) - score(a) || a.agent.agentId.localeCompare(b.agent.agentId))[0];
}

/** The offer this need already made under its token, if any (one still open first). */
async function findOffer(board: DeskBoard, token: string, needId: string): Promise<DeskOffer | undefined> {
  const mine = (await board.findOffers(token)).filter((o) => o.needId === needId);
  return mine.find((o) => o.state === "offered" || o.state === "accepted") ?? mine[0];
}

/** Creates an offer; an offer already under its id (a re-run racing an earlier run) is read instead. */
async function makeOffer(board: DeskBoard, offer: Parameters<DeskBoard["createOffer"]>[0]): Promise<DeskOffer> {
  try {
    return (await board.createOffer(offer)).value;
  } catch (err) {
    const existing = await board.getOffer(`${offer.agentId}.${offer.token ?? ""}`).catch(() => undefined);
    if (existing !== undefined && existing.value.needId === offer.needId) return existing.value;
    throw err;
  }
}

/**
 * Runs the desk peer as this process's job: parses its configuration
 * (PEER_ID, CASEMESH_DESK_CAPABILITIES, CASEMESH_DESK_RESERVATION_MS,
 * CASEMESH_DESK_STEP_TIMEOUT_MS, CASEMESH_DESK_ABSENCE_GRACE_MS, and the reasoner's ANTHROPIC_* variables), opens the desk board on its own NATS
 * connection (runPeers keeps its connection to itself), and hands the peer
 * to {@link runPeers}. Exits 2 on bad configuration.
 */
export async function runDeskPeer(): Promise<PeerHost> {
  return runPeers(
    async ({ config: mesh, logger, prepared: config }) => {
      const nc = await connectNats({ servers: mesh.natsUrl ?? "", name: `desk-board-${process.pid}` });
      const desk = await openDeskAccess(nc, logger, { replicas: mesh.streamReplicas });
      return [deskPeer({ desk, config })];
    },
    {
      role: "desk",
      prepare: (env: NodeJS.ProcessEnv) => {
        const config = loadDeskConfig(env);
        // A malformed reasoner environment stops the process now, not at its first step.
        reasonerFromEnv(env, { metrics: new Registry() });
        return config;
      },
    },
  );
}

if (isMain(import.meta.url)) await runDeskPeer();
