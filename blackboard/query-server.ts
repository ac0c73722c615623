import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import type { z } from "zod";
import type { Logger } from "pino";
import { asCasemeshError, BadRequestError, decodeJson, NotFoundError, UnavailableError } from "../core/index.ts";
import type { Applier } from "./applier.ts";
import type { BlackboardMetrics } from "./metrics.ts";
import { normalizeAddress } from "./projection-keys.ts";
import type { ProjectionStore } from "./projection-store.ts";
import { BROADCAST_OPS, QUERY_OPS, type QueryOp, type QueryResult } from "./query-protocol.ts";
import { QUERY_QUEUE_GROUP, querySubject } from "./subjects.ts";

/** A result already encoded as JSON (stored facts are sent as stored). */
class EncodedResult {
  constructor(readonly json: string) {}
}

type Handler<O extends QueryOp> = (
  req: z.infer<(typeof QUERY_OPS)[O]["request"]>,
) => Promise<QueryResult<O> | EncodedResult>;

/**
 * Answers blackboard queries from this replica's projection. Queries that carry
 * `minSeq` first wait until the projection has applied that sequence.
 */
export class QueryServer {
  readonly #subs: Subscription[] = [];
  #stopping = false;
  readonly #handlers: { [O in QueryOp]: Handler<O> };

  constructor(
    private readonly nc: NatsConnection,
    private readonly store: ProjectionStore,
    private readonly applier: Applier,
    private readonly metrics: BlackboardMetrics,
    private readonly log: Logger,
    private readonly replicaId: string,
  ) {
    this.#handlers = {
      "case.get": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        return this.#caseJson(r.caseId, r.afterSeq, false);
      },
      "case.context": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        return this.#caseJson(r.caseId, 0, true);
      },
      "case.brief": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        const state = await this.store.caseState(r.caseId);
        if (state === undefined) throw new NotFoundError(`no case ${r.caseId}`);
        const customer = state.customerId === null ? undefined : await this.store.customer(state.customerId);
        const previousHandler = r.capability === undefined ? null : (customer?.handlers[r.capability] ?? null);
        return { case: state, previousHandler };
      },
      "customer.get": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        const customer = await this.store.customer(r.customerId);
        if (customer === undefined) throw new NotFoundError(`no customer ${r.customerId}`);
        return { customer };
      },
      "customer.byAddress": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        const entry = await this.store.address(r.channel, normalizeAddress(r.channel, r.address));
        if (entry === undefined) throw new NotFoundError(`no customer with ${r.channel} address on record`);
        return { ...entry, customer: (await this.store.customer(entry.customerId)) ?? null };
      },
      "message.byClientId": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        const entry = await this.store.clientMessage(r.channel, r.clientMessageId);
        if (entry === undefined) throw new NotFoundError(`no ${r.channel} message with that client message id`);
        return entry;
      },
      "cases.byStatus": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        const cases = await this.store.casesByStatus(r.status, r.limit, r.after);
        return { cases, next: cases.length === r.limit ? (cases[cases.length - 1]?.caseId ?? null) : null };
      },
      "needs.open": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        return { needs: await this.store.openNeeds(r.limit, r.capability) };
      },
      "timers.due": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        return { timers: await this.store.dueTimers(r.before, r.limit) };
      },
      "deadletters.list": async (r) => {
        await this.applier.waitFor(r.minSeq, r.waitMs);
        return { deadLetters: await this.store.deadLetters(r.limit, r.afterSeq) };
      },
      "fact.verdict": async (r) => {
        await this.applier.waitFor(r.seq, r.waitMs);
        const conflict = await this.store.conflict(r.seq);
        if (conflict !== undefined) {
          return {
            status: "conflict",
            reason: `case ${conflict.caseId} was at sequence ${conflict.actualSeq}, not ${conflict.expectedSeq}`,
          };
        }
        const dead = await this.store.deadLetter(r.seq);
        if (dead !== undefined) return { status: "dead_letter", reason: dead.detail };
        return { status: "projected" };
      },
      status: async (r) => {
        const d = r.digest ? await this.store.digest() : undefined;
        return { replicaId: this.replicaId, appliedSeq: this.applier.lastSeq, digest: d?.digest ?? null, entries: d?.entries ?? null };
      },
    };
  }

  /**
   * A case and its facts (after `afterSeq`) as JSON, the stored facts sent as
   * stored; with `withCustomer`, the customer's memory too (null without one).
   */
  async #caseJson(caseId: string, afterSeq: number, withCustomer: boolean): Promise<EncodedResult> {
    const found = await this.store.caseWithFactsJson(caseId, afterSeq);
    if (found === undefined) throw new NotFoundError(`no case ${caseId}`);
    const customerId = found.state.customerId;
    const customer = withCustomer ? `"customer":${JSON.stringify((customerId === null ? undefined : await this.store.customer(customerId)) ?? null)},` : "";
    return new EncodedResult(`{"case":${JSON.stringify(found.state)},"facts":[${found.facts.join(",")}],${customer}"appliedSeq":${this.applier.lastSeq}}`);
  }

  start(): void {
    for (const op of Object.keys(QUERY_OPS) as QueryOp[]) {
      const sub = this.nc.subscribe(querySubject(op), BROADCAST_OPS.has(op) ? {} : { queue: QUERY_QUEUE_GROUP });
      this.#subs.push(sub);
      void (async () => {
        for await (const msg of sub) void this.#answer(op, msg);
      })();
    }
  }

  /**
   * Takes no more queries. One still in flight (or already delivered) fails
   * with a retryable UnavailableError rather than reading a store that is
   * being closed under it.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const sub of this.#subs) sub.unsubscribe();
  }

  async #answer<O extends QueryOp>(op: O, msg: Msg): Promise<void> {
    const started = performance.now();
    let reply: string;
    let outcome = "ok";
    try {
      if (this.#stopping) throw new UnavailableError(`blackboard replica ${this.replicaId} is stopping`);
      const body = msg.data.length === 0 ? {} : decodeJson(msg.data);
      if (body === undefined) throw new BadRequestError(`${op}: request is not JSON`);
      const parsed = QUERY_OPS[op].request.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BadRequestError(`${op}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
      }
      const handler = this.#handlers[op] as Handler<O>;
      const result = await handler(parsed.data as never);
      // Stopping releases readers waiting for a sequence: what they read now may be short of it.
      if (this.#stopping) throw new UnavailableError(`blackboard replica ${this.replicaId} is stopping`);
      reply = `{"ok":true,"result":${result instanceof EncodedResult ? result.json : JSON.stringify(result)}}`;
    } catch (err) {
      const e = this.#stopping ? new UnavailableError(`blackboard replica ${this.replicaId} is stopping`, { cause: err }) : asCasemeshError(err);
      outcome = e.code.toLowerCase();
      if (e.code === "INTERNAL") this.log.error({ err: e.message, op }, "query failed");
      reply = JSON.stringify({ ok: false, error: { code: e.code, message: e.message, retryable: e.retryable } });
    }
    this.metrics.queries.inc({ op, outcome });
    this.metrics.queryDuration.observe({ op }, (performance.now() - started) / 1000);
    if (msg.reply !== undefined && msg.reply !== "") msg.respond(reply);
  }
}
