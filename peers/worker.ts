import type { Subscription } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { accountScopeViolation, type Fact, type FactData, type FactDraft } from "../blackboard/index.ts";
import { asCasemeshError, Backoff, backoffMs, delay } from "../core/index.ts";
import type { ClaimEntry } from "./claims.ts";
import {
  DEFAULT_MAX_STEP_RUNS,
  DEFAULT_STEP_TIMEOUT_MS,
  type CapabilitySpec,
  type NeedView,
  type PeerDefinition,
  type StepResult,
} from "./define-peer.ts";
import type { MeshContext } from "./mesh-context.ts";
import { childNeedId, stepFactMsgId } from "./need-ids.ts";
import { Award, awardSubject, decodeJson, settledSubject, type AwardReply, type Settled } from "./protocol.ts";

/** First backoff between runs of a failing step; it doubles each run. */
export const STEP_RETRY_BACKOFF_MS = 100;
/** The longest wait between reads of a blackboard that does not answer. */
export const BLACKBOARD_RETRY_MAX_MS = 2_000;
/** Runs of a failing step: {@link STEP_RETRY_BACKOFF_MS}, doubling (the run limit bounds it). */
const STEP_RETRY = { initialMs: STEP_RETRY_BACKOFF_MS, maxMs: Number.MAX_SAFE_INTEGER };
/** Reads of a blackboard that does not answer: {@link STEP_RETRY_BACKOFF_MS}, doubling, at most {@link BLACKBOARD_RETRY_MAX_MS}. */
const BLACKBOARD_RETRY = { initialMs: STEP_RETRY_BACKOFF_MS, maxMs: BLACKBOARD_RETRY_MAX_MS };

/**
 * The working side of one hosted peer: it accepts awards it can take, holds
 * the claim's lease while its handler runs, retries a failing run with
 * backoff, and writes the step's facts, its follow-up needs and `need.done`
 * (or `need.failed` and the fallback need) with msg ids derived from the need.
 */
export class PeerWorker {
  readonly #ctx: MeshContext;
  readonly #peer: PeerDefinition;
  readonly #log: Logger;
  readonly #steps = new Map<string, { abort: AbortController; done: Promise<void>; claim: () => ClaimEntry }>();
  #sub: Subscription | undefined;
  #draining = false;
  /** Awards accepted but not yet started: they count against capacity. */
  #reserved = 0;

  constructor(ctx: MeshContext, peer: PeerDefinition) {
    this.#ctx = ctx;
    this.#peer = peer;
    this.#log = ctx.log.child({ peerId: peer.id });
  }

  /** The peer this worker works for. */
  get definition(): PeerDefinition {
    return this.#peer;
  }

  /** Steps in progress (and awards being taken up). */
  get load(): number {
    return this.#steps.size + this.#reserved;
  }

  get capacity(): number {
    return this.#peer.capacity ?? 8;
  }

  start(): void {
    this.#sub = this.#ctx.nc.subscribe(awardSubject(this.#peer.id));
    const sub = this.#sub;
    void (async () => {
      for await (const msg of sub) {
        const reply = await this.#takeRemote(msg.data).catch((err: unknown): AwardReply => ({ accepted: false, reason: String(err).slice(0, 200) }));
        msg.respond(JSON.stringify(reply));
      }
    })();
  }

  /**
   * Takes an award from an auctioneer in this process, which hands over the
   * claim it has just committed: nothing to parse, nothing to read back.
   */
  takeLocal(award: Award, claim: ClaimEntry): AwardReply {
    const admitted = this.#admit(award);
    if ("accepted" in admitted) return admitted;
    this.#begin(award, admitted, claim);
    return { accepted: true };
  }

  /** Takes no more awards. */
  drain(): void {
    this.#draining = true;
  }

  /**
   * Waits up to `graceMs` for steps in progress; then aborts the rest and
   * releases their claims so they are awarded again at once.
   */
  async finish(graceMs: number): Promise<void> {
    this.#draining = true;
    const all = Promise.all([...this.#steps.values()].map((s) => s.done));
    const timer = new Promise<"late">((r) => setTimeout(() => r("late"), graceMs).unref());
    if ((await Promise.race([all.then(() => "ok" as const), timer])) === "late") {
      for (const [needId, step] of this.#steps) {
        step.abort.abort(new Error("draining"));
        const claim = step.claim();
        await this.#ctx.claims.write({ ...claim.record, state: "released" }, claim.revision).catch(() => undefined);
        this.#log.info({ needId }, "released a claim while draining");
      }
      await all;
    }
    this.#sub?.unsubscribe();
  }

  /** The capability this peer would run for `award`, or why it refuses it now. */
  #admit(award: Award): CapabilitySpec | AwardReply {
    if (this.#draining) return { accepted: false, reason: "draining" };
    if (this.load >= this.capacity) return { accepted: false, reason: "at capacity" };
    const spec = this.#peer.capabilities.find((c) => c.name === award.capability);
    return spec ?? { accepted: false, reason: `does not serve ${award.capability}` };
  }

  /**
   * Takes an award sent over NATS. The award is only a message, so the claim
   * is read to check that it is still this award's: held by this peer at the
   * award's revision.
   */
  async #takeRemote(data: Uint8Array): Promise<AwardReply> {
    const parsed = Award.safeParse(decodeJson(data));
    if (!parsed.success) return { accepted: false, reason: "malformed award" };
    const award = parsed.data;
    const admitted = this.#admit(award);
    if ("accepted" in admitted) return admitted;
    // Hold the slot while the claim is checked, so two awards at once cannot both fit.
    this.#reserved++;
    try {
      const claim = await this.#ctx.claims.read(award.needId);
      if (claim === undefined || claim.revision !== award.revision || claim.record.holder !== this.#peer.id || claim.record.state !== "held") {
        return { accepted: false, reason: "the claim is not this award's" };
      }
      this.#begin(award, admitted, claim);
      return { accepted: true };
    } finally {
      this.#reserved--;
    }
  }

  #begin(award: Award, spec: CapabilitySpec, claim: ClaimEntry): void {
    const abort = new AbortController();
    let current = claim;
    const log = this.#log.child({ needId: award.needId, caseId: award.caseId, capability: award.capability });
    // Renew the lease at a third of its length; a failed renewal means another
    // peer may now hold it. Claim writes never overlap: each is at the revision
    // the last one returned, so two at once would make the loser look lost.
    let renewing: Promise<void> | undefined;
    const renew = setInterval(() => {
      if (renewing !== undefined) return; // the last renewal is still on its way
      renewing = this.#ctx.claims
        .write(current.record, current.revision)
        .then((revision) => {
          if (revision === undefined) {
            log.warn("lease lost; abandoning the step");
            abort.abort(new Error("lease lost"));
          } else {
            current = { ...current, revision, writtenAt: this.#ctx.clock.now() };
          }
        })
        .catch((err: unknown) => log.warn({ err: String(err) }, "lease renewal failed; will retry"))
        .finally(() => {
          renewing = undefined;
        });
    }, Math.max(50, Math.floor(this.#ctx.leaseMs / 3)));
    const done = this.#run(award, spec, abort.signal, log)
      .then(async (settle) => {
        clearInterval(renew);
        await renewing;
        if (settle === undefined || abort.signal.aborted) return;
        const revision = await this.#ctx.claims.write({ ...current.record, state: settle }, current.revision);
        if (revision === undefined) log.warn("claim changed before it could be settled; a re-award will find the facts already written");
        // The outcome goes with the notice only when this write committed it.
        const notice: Settled = revision === undefined ? { needId: award.needId } : { needId: award.needId, state: settle };
        if (award.auctioneer === this.#ctx.hostId) this.#ctx.local.settled(notice);
        else this.#ctx.nc.publish(settledSubject(award.auctioneer), JSON.stringify(notice));
      })
      .catch((err: unknown) => log.error({ err: String(err) }, "step could not be settled; the lease will expire and the need will be offered again"))
      .finally(() => {
        clearInterval(renew);
        this.#steps.delete(award.needId);
      });
    this.#steps.set(award.needId, { abort, done, claim: () => current });
  }

  /**
   * Reads from the blackboard, waiting (with backoff, while the lease is
   * renewed) through an outage instead of letting the lease lapse: a blackboard
   * that is down should pause the mesh, not churn awards. Undefined when the
   * step is aborted meanwhile.
   */
  async #untilAnswered<T>(signal: AbortSignal, log: Logger, read: () => Promise<T>): Promise<T | undefined> {
    const backoff = new Backoff(BLACKBOARD_RETRY);
    for (;;) {
      try {
        return await read();
      } catch (err) {
        const e = asCasemeshError(err);
        if (!e.retryable) throw e;
        log.warn({ err: e.message }, "the blackboard does not answer; the step waits for it");
        await backoff.wait(signal);
        if (signal.aborted) return undefined;
      }
    }
  }

  /** Runs the step; resolves with how to settle the claim, or undefined when it must not be settled. */
  async #run(
    award: Award,
    spec: CapabilitySpec,
    signal: AbortSignal,
    log: Logger,
  ): Promise<"done" | "failed" | undefined> {
    const { blackboard, writer, metrics } = this.#ctx;
    const caseView = await this.#untilAnswered(signal, log, () => blackboard.getCaseContext({ caseId: award.caseId, minSeq: award.needSeq }));
    if (caseView === undefined) return undefined;
    const needFact = caseView.facts.find((f) => f.seq === award.needSeq)?.fact;
    const opened = needFact?.kind === "need.opened" ? (needFact.data as { input: unknown; requires: string[]; fallback: string | null }) : undefined;
    if (needFact === undefined || opened === undefined) throw new Error(`need.opened at seq ${award.needSeq} is not on case ${award.caseId}`);
    const customer = caseView.customer;
    const need: NeedView = {
      needId: award.needId,
      caseId: award.caseId,
      capability: award.capability,
      attempt: award.attempt,
      seq: award.needSeq,
      factId: needFact.id,
      requires: opened.requires,
    };
    const source = { peer: this.#peer.id, capability: award.capability, version: this.#peer.version };
    // The needs this step opens (its handoff) carry what it knows of the case, so their auctions need not read it.
    const openNeed = (
      needId: string,
      capability: string,
      input: FactData<"need.opened">["input"],
      requires: string[],
      fallback: string | null,
    ): FactDraft<"need.opened"> => ({
      ...base,
      kind: "need.opened",
      data: {
        needId,
        capability,
        input,
        requires,
        attempt: 1,
        fallback,
        routing: { tier: caseView.case.tier, previousHandler: customer?.handlers[capability] ?? null },
      },
    });
    const base = { caseId: award.caseId, needId: award.needId, causedBy: needFact.id, traceparent: needFact.traceparent, source };

    let result: StepResult | undefined;
    let failure = "";
    const input = spec.input.safeParse(opened.input);
    if (!input.success) {
      const issue = input.error.issues[0];
      failure = `input breaks the ${award.capability} contract at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`;
    } else {
      const maxRuns = spec.maxRuns ?? DEFAULT_MAX_STEP_RUNS;
      for (let run = 1; run <= maxRuns && result === undefined; run++) {
        if (signal.aborted) return undefined;
        const started = performance.now();
        const runAbort = new AbortController();
        const timeoutMs = spec.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
        const timer = setTimeout(() => runAbort.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        const onOuter = () => runAbort.abort(signal.reason);
        signal.addEventListener("abort", onOuter, { once: true });
        try {
          result = await Promise.race([
            spec.handler(input.data, {
              need,
              case: { state: caseView.case, facts: caseView.facts },
              customer,
              log,
              metrics: this.#ctx.registry,
              signal: runAbort.signal,
              idempotencyKey: award.needId,
              clock: this.#ctx.meshClock,
            }),
            new Promise<never>((_, reject) => runAbort.signal.addEventListener("abort", () => reject(runAbort.signal.reason), { once: true })),
          ]);
          metrics.stepDuration.observe({ capability: award.capability, outcome: "ok" }, (performance.now() - started) / 1000);
        } catch (err) {
          const timedOut = runAbort.signal.aborted && !signal.aborted;
          metrics.stepDuration.observe({ capability: award.capability, outcome: timedOut ? "timeout" : "error" }, (performance.now() - started) / 1000);
          if (signal.aborted) return undefined;
          failure = asCasemeshError(err).message;
          log.warn({ run, err: failure }, "step run failed");
          if (run < maxRuns) {
            metrics.retries.inc({ capability: award.capability });
            await delay(backoffMs(STEP_RETRY, run), signal);
          }
        } finally {
          clearTimeout(timer);
          signal.removeEventListener("abort", onOuter);
        }
      }
    }
    // A lost lease aborts the signal: then another peer owns the need, and this run writes nothing.
    if (signal.aborted) return undefined;
    const refused = result === undefined ? undefined : unverifiedAccountFact(result, caseView.case.verifiedAccountId);
    if (refused !== undefined) {
      // The seam: account data or an account change on a case not verified
      // for that account is never written, whatever the handler thought.
      failure = `refused: ${refused}`;
      result = undefined;
      metrics.refusals.inc({ capability: award.capability });
      log.error({ reason: failure }, "step result refused: account-scoped fact without verified identity");
    }

    if (result !== undefined) {
      const drafts: FactDraft[] = [];
      const msgIds: string[] = [];
      (result.facts ?? []).forEach((f, i) => {
        drafts.push({ ...base, kind: f.kind, data: f.data } as FactDraft);
        msgIds.push(stepFactMsgId(award.needId, i, f.kind));
      });
      (result.needs ?? []).forEach((n, i) => {
        const needId = childNeedId(award.needId, i);
        drafts.push(openNeed(needId, n.capability, n.input ?? {}, n.requires ?? [], n.fallback ?? null));
        msgIds.push(`${needId}.opened`);
      });
      drafts.push({ ...base, kind: "need.done", data: { needId: award.needId, capability: award.capability, peer: this.#peer.id, attempt: award.attempt } });
      msgIds.push(`${award.needId}.done`);
      await writer.appendAll(drafts, { msgIds });
      return "done";
    }

    const fallback = opened.fallback ?? spec.fallback ?? null;
    const fallbackNeedId = fallback === null ? null : childNeedId(award.needId, "fallback");
    const drafts: FactDraft[] = [
      { ...base, kind: "need.failed", data: { needId: award.needId, capability: award.capability, attempt: award.attempt, reason: failure.slice(0, 2000) || "failed", fallbackNeedId } },
    ];
    const msgIds = [`${award.needId}.failed`];
    if (fallback !== null && fallbackNeedId !== null) {
      const input = { failedNeedId: award.needId, failedCapability: award.capability, reason: failure.slice(0, 500) };
      drafts.push(openNeed(fallbackNeedId, fallback, input, [], null));
      msgIds.push(`${fallbackNeedId}.opened`);
    }
    await writer.appendAll(drafts, { msgIds });
    log.warn({ reason: failure, fallback }, "step failed; handed to the fallback");
    return "failed";
  }
}

/**
 * The first fact of `result` that the log would refuse as account data on a
 * case not verified for that account (see `accountScopeViolation`), reading
 * the case's verified account and any `identity.verified` the step itself
 * writes before it. Undefined when every fact may be written.
 */
export function unverifiedAccountFact(result: StepResult, verifiedAccountId: string | null): string | undefined {
  let verified = verifiedAccountId;
  for (const f of result.facts ?? []) {
    if (f.kind === "identity.verified") verified = (f.data as FactData<"identity.verified">).accountId;
    const why = accountScopeViolation(f as Pick<Fact, "kind" | "data">, verified);
    if (why !== undefined) return why;
  }
  return undefined;
}
