import type { NatsConnection } from "@nats-io/transport-node";
import { CasemeshError, type ErrorCode, errorFromWire, isNatsTimeout, isNoResponders, TimeoutError, UnavailableError } from "../core/index.ts";
import { DEFAULT_MIN_SEQ_WAIT_MS, ErrorReply, QUERY_OPS, type QueryOp, type QueryRequest, type QueryResult } from "./query-protocol.ts";
import { querySubject } from "./subjects.ts";
import type { FactVerdict, VerdictSource } from "./writer.ts";

/** Extra time a request waits past the query's own `waitMs`, for the round trip. */
const REQUEST_MARGIN_MS = 2_000;

/**
 * Queries the blackboard over NATS. Replies are parsed with the protocol's
 * schemas; wire errors become casemesh errors (`NotFoundError`,
 * `NotCaughtUpError`, ...), and no replica answering is an `UnavailableError`.
 */
export class BlackboardClient implements VerdictSource {
  constructor(private readonly nc: NatsConnection) {}

  /** The case with its facts, as of at least `minSeq` (read-your-writes). */
  getCase(req: QueryRequest<"case.get">): Promise<QueryResult<"case.get">> {
    return this.query("case.get", req);
  }

  /**
   * What a step reads: the case with its facts and the customer's memory
   * across cases (null when the case has no customer, or none is on record
   * yet), in one round trip, as of at least `minSeq`.
   */
  getCaseContext(req: QueryRequest<"case.context">): Promise<QueryResult<"case.context">> {
    return this.query("case.context", req);
  }

  /** The case state without its facts, and who last served this customer for `capability`. */
  getCaseBrief(req: QueryRequest<"case.brief">): Promise<QueryResult<"case.brief">> {
    return this.query("case.brief", req);
  }

  getCustomer(req: QueryRequest<"customer.get">): Promise<QueryResult<"customer.get">> {
    return this.query("customer.get", req);
  }

  /** The customer a channel address belongs to. */
  findCustomerByAddress(req: QueryRequest<"customer.byAddress">): Promise<QueryResult<"customer.byAddress">> {
    return this.query("customer.byAddress", req);
  }

  /** Where the customer message a channel sent under `clientMessageId` landed. */
  findMessageByClientId(req: QueryRequest<"message.byClientId">): Promise<QueryResult<"message.byClientId">> {
    return this.query("message.byClientId", req);
  }

  listCasesByStatus(req: QueryRequest<"cases.byStatus">): Promise<QueryResult<"cases.byStatus">> {
    return this.query("cases.byStatus", req);
  }

  listOpenNeeds(req: QueryRequest<"needs.open">): Promise<QueryResult<"needs.open">> {
    return this.query("needs.open", req);
  }

  /** Timers due at or before `before`. */
  listDueTimers(req: QueryRequest<"timers.due">): Promise<QueryResult<"timers.due">> {
    return this.query("timers.due", req);
  }

  listDeadLetters(req: QueryRequest<"deadletters.list"> = {}): Promise<QueryResult<"deadletters.list">> {
    return this.query("deadletters.list", req);
  }

  /** What the projection decided about the fact at `seq`. */
  factVerdict(seq: number): Promise<FactVerdict> {
    return this.query("fact.verdict", { seq });
  }

  /** Every replica's status (each one answers), optionally with its projection digest. */
  async replicas(options: { digest?: boolean; waitMs?: number } = {}): Promise<QueryResult<"status">[]> {
    const out: QueryResult<"status">[] = [];
    const replies = await this.nc.requestMany(querySubject("status"), JSON.stringify({ digest: options.digest ?? false }), {
      maxWait: options.waitMs ?? 1_000,
    });
    for await (const msg of replies) {
      const parsed = QUERY_OPS.status.result.safeParse((JSON.parse(msg.string()) as { result?: unknown }).result);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /** The first replica's status within `timeoutMs`: does the blackboard answer at all? */
  ping(timeoutMs: number): Promise<QueryResult<"status">> {
    return this.query("status", {}, timeoutMs);
  }

  /** Sends one query and parses its reply; waits the query's own `waitMs` plus a margin unless `timeoutMs` is given. */
  async query<O extends QueryOp>(op: O, req: QueryRequest<O>, timeoutMs?: number): Promise<QueryResult<O>> {
    const waitMs = (req as { waitMs?: number }).waitMs ?? DEFAULT_MIN_SEQ_WAIT_MS;
    let raw: string;
    try {
      const reply = await this.nc.request(querySubject(op), JSON.stringify(req), { timeout: timeoutMs ?? waitMs + REQUEST_MARGIN_MS });
      raw = reply.string();
    } catch (err) {
      if (isNoResponders(err)) throw new UnavailableError(`no blackboard replica answers ${op}`, { cause: err });
      if (isNatsTimeout(err)) throw new TimeoutError(`blackboard query ${op} timed out`, { cause: err });
      throw new UnavailableError(`blackboard query ${op} failed: ${String(err)}`, { cause: err });
    }
    const body: unknown = JSON.parse(raw);
    // Only an error reply is checked as one: parsing every large success reply
    // as a failed error first costs a garbage collection per ~35 queries.
    const failed = (body as { ok?: unknown } | null)?.ok === false ? ErrorReply.safeParse(body) : undefined;
    if (failed?.success === true) {
      const { code, message, retryable } = failed.data.error;
      throw errorFromWire(code as ErrorCode, message, retryable);
    }
    const result = QUERY_OPS[op].result.safeParse((body as { result?: unknown }).result);
    if (!result.success) {
      throw new CasemeshError("INTERNAL", `blackboard reply to ${op} is malformed: ${result.error.issues[0]?.message ?? ""}`);
    }
    return result.data as QueryResult<O>;
  }
}
