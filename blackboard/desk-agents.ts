import type { Logger } from "pino";
import type { AgentChange, DeskAgent, DeskBoard } from "./desk-board.ts";

/**
 * The desk peer's live, in-memory view of the human agents signed in on the
 * agent desk (the `casemesh_desk_agents` bucket), kept from a KV watch the
 * way the presence Directory keeps peers. A bid reads it and nothing else,
 * so bidding makes no network call. Entries age out by the board's one
 * staleness rule ({@link DeskBoard.liveUntil}).
 *
 * The view also counts the offers this process has made and is waiting on:
 * an agent's `active` (from the gateway) counts only accepted offers, so an
 * agent with an open offer is not offered a second case beyond capacity.
 *
 * A step holding an accepted case asks it when the agent has been away
 * (signed out, or their entry aged out) for a grace period: {@link
 * DeskAgentsView.awayFor} wakes on the agent's own entries and on the moment
 * their last entry ages out, and polls nothing.
 */

/** One agent's room for more work. */
export interface AgentRoom {
  agent: DeskAgent;
  /** Capacity minus accepted cases minus this process's open offers. */
  spare: number;
}

/** A live view of the signed-in desk agents. */
export class DeskAgentsView {
  readonly #log: Logger;
  /** Live agents by id, each with the moment (wall clock ms) its entry stops being live. */
  readonly #agents = new Map<string, { agent: DeskAgent; liveUntil: number }>();
  readonly #pending = new Map<string, number>();
  /** Called after each change to the agent's entry, by agent id. */
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #stop = new AbortController();

  private constructor(log: Logger) {
    this.#log = log;
  }

  /** Starts following the board's agents. */
  static start(board: DeskBoard, log: Logger): DeskAgentsView {
    const view = new DeskAgentsView(log);
    const onError = (err: unknown, when: "open" | "ended") =>
      log.warn({ err: String(err) }, when === "ended" ? "desk agents watch ended; watching again" : "cannot watch the desk agents yet; retrying");
    void (async () => {
      for await (const change of board.followAgents(view.#stop.signal, onError)) view.#apply(change);
    })();
    return view;
  }

  /** Stops watching. */
  stop(): void {
    this.#stop.abort();
  }

  /** Live agents, in agent id order. */
  all(): DeskAgent[] {
    this.#prune();
    return [...this.#agents.values()].map((a) => a.agent).sort((a, b) => a.agentId.localeCompare(b.agentId));
  }

  /** Live agents with `skill`, each with its spare room (which may be 0 or less). */
  withSkill(skill: string): AgentRoom[] {
    return this.all()
      .filter((a) => a.skills.includes(skill))
      .map((agent) => ({ agent, spare: agent.capacity - agent.active - (this.#pending.get(agent.agentId) ?? 0) }));
  }

  /** The live agent with `skill` and the most spare room, if any has room. */
  best(skill: string): AgentRoom | undefined {
    let best: AgentRoom | undefined;
    for (const room of this.withSkill(skill)) {
      if (room.spare > 0 && (best === undefined || room.spare / room.agent.capacity > best.spare / best.agent.capacity)) best = room;
    }
    return best;
  }

  /** Whether `agentId` is signed in now (has a live entry). */
  present(agentId: string): boolean {
    return this.#liveUntil(agentId) !== undefined;
  }

  /**
   * Resolves once `agentId` has been away from the desk (no live entry) for
   * `graceMs` without a break; an agent who comes back starts the count
   * again when they next leave. Rejects with the signal's reason when
   * `signal` aborts.
   */
  awayFor(agentId: string, graceMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let awaySince: number | undefined;
      const check = () => {
        clearTimeout(timer);
        const now = Date.now();
        const until = this.#liveUntil(agentId);
        if (until !== undefined) {
          awaySince = undefined;
          // Wake when this entry would age out, unless a heartbeat comes first.
          timer = setTimeout(check, until - now + 1);
          return;
        }
        awaySince ??= now;
        const left = awaySince + graceMs - now;
        if (left > 0) timer = setTimeout(check, left);
        else finish(resolve);
      };
      const listeners = this.#listeners.get(agentId) ?? new Set<() => void>();
      this.#listeners.set(agentId, listeners);
      const onAbort = () => finish(() => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted")));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (listeners.size === 0 && this.#listeners.get(agentId) === listeners) this.#listeners.delete(agentId);
        signal.removeEventListener("abort", onAbort);
        settle();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      listeners.add(check);
      check();
    });
  }

  /** Counts an offer this process made to `agentId` and is waiting on; call the returned function once it is decided. */
  hold(agentId: string): () => void {
    this.#pending.set(agentId, (this.#pending.get(agentId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#pending.get(agentId) ?? 1) - 1;
      if (left <= 0) this.#pending.delete(agentId);
      else this.#pending.set(agentId, left);
    };
  }

  /** When the agent's entry stops being live (wall clock ms), or undefined when it is not live now. */
  #liveUntil(agentId: string): number | undefined {
    const until = this.#agents.get(agentId)?.liveUntil;
    return until !== undefined && until >= Date.now() ? until : undefined;
  }

  #apply(change: AgentChange): void {
    const agentId = change.op === "put" ? change.agent.agentId : change.op === "gone" ? change.agentId : change.key;
    if (change.op === "put" && change.liveUntil >= Date.now()) this.#agents.set(agentId, { agent: change.agent, liveUntil: change.liveUntil });
    else if (change.op !== "malformed") this.#agents.delete(agentId);
    else this.#log.warn({ key: change.key }, "ignoring a malformed desk agent entry");
    for (const listener of this.#listeners.get(agentId) ?? []) listener();
  }

  #prune(): void {
    const now = Date.now();
    for (const [key, a] of this.#agents) if (a.liveUntil < now) this.#agents.delete(key);
  }
}
