import { z } from "zod";
import { CaseId, CustomerId, Capability, Instant } from "./contract-envelope.ts";
import { Channel } from "./contract-kinds.ts";
import {
  CaseState,
  CaseStatus,
  ClientMessageEntry,
  CustomerMemory,
  DeadLetter,
  OpenNeed,
  PendingTimer,
  StoredFact,
} from "./projection-state.ts";

/**
 * The blackboard's query protocol over NATS request-reply. Each operation has
 * a request and a result schema; both sides parse with them. Subjects are
 * `casemesh.bb.<op>`; replies are `{ok:true,result}` or `{ok:false,error}`.
 */

/** How long a query waits for `minSeq` unless it says otherwise. */
export const DEFAULT_MIN_SEQ_WAIT_MS = 5_000;
/** The longest wait a query may ask for. */
export const MAX_MIN_SEQ_WAIT_MS = 30_000;
const Limit = z.number().int().min(1).max(1_000).default(100);
const Wait = z.number().int().min(1).max(MAX_MIN_SEQ_WAIT_MS).default(DEFAULT_MIN_SEQ_WAIT_MS);
const MinSeq = z.number().int().min(0).default(0);

export const QUERY_OPS = {
  "case.get": {
    request: z.strictObject({ caseId: CaseId, minSeq: MinSeq, waitMs: Wait, afterSeq: z.number().int().min(0).default(0) }),
    result: z.strictObject({ case: CaseState, facts: z.array(StoredFact), appliedSeq: z.number().int() }),
  },
  "case.context": {
    request: z.strictObject({ caseId: CaseId, minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ case: CaseState, facts: z.array(StoredFact), customer: CustomerMemory.nullable(), appliedSeq: z.number().int() }),
  },
  "case.brief": {
    request: z.strictObject({ caseId: CaseId, capability: Capability.optional(), minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ case: CaseState, previousHandler: z.string().nullable() }),
  },
  "customer.get": {
    request: z.strictObject({ customerId: CustomerId, minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ customer: CustomerMemory }),
  },
  "customer.byAddress": {
    request: z.strictObject({ channel: Channel, address: z.string().min(1).max(320), minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ customerId: CustomerId, verified: z.boolean(), customer: CustomerMemory.nullable() }),
  },
  "message.byClientId": {
    request: z.strictObject({ channel: Channel, clientMessageId: z.string().min(1).max(128), minSeq: MinSeq, waitMs: Wait }),
    result: ClientMessageEntry,
  },
  "cases.byStatus": {
    request: z.strictObject({ status: CaseStatus, limit: Limit, after: CaseId.optional(), minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ cases: z.array(CaseState), next: CaseId.nullable() }),
  },
  "needs.open": {
    request: z.strictObject({ capability: Capability.optional(), limit: Limit, minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ needs: z.array(OpenNeed) }),
  },
  "timers.due": {
    request: z.strictObject({ before: Instant, limit: Limit, minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ timers: z.array(PendingTimer) }),
  },
  "deadletters.list": {
    request: z.strictObject({ limit: Limit, afterSeq: z.number().int().min(0).default(0), minSeq: MinSeq, waitMs: Wait }),
    result: z.strictObject({ deadLetters: z.array(DeadLetter) }),
  },
  "fact.verdict": {
    request: z.strictObject({ seq: z.number().int().positive(), waitMs: Wait }),
    result: z.discriminatedUnion("status", [
      z.strictObject({ status: z.literal("projected") }),
      z.strictObject({ status: z.literal("conflict"), reason: z.string() }),
      z.strictObject({ status: z.literal("dead_letter"), reason: z.string() }),
    ]),
  },
  status: {
    request: z.strictObject({ digest: z.boolean().default(false) }),
    result: z.strictObject({
      replicaId: z.string(),
      appliedSeq: z.number().int(),
      digest: z.string().nullable(),
      entries: z.number().int().nullable(),
    }),
  },
} as const;

export type QueryOp = keyof typeof QUERY_OPS;
export type QueryRequest<O extends QueryOp> = z.input<(typeof QUERY_OPS)[O]["request"]>;
export type QueryResult<O extends QueryOp> = z.infer<(typeof QUERY_OPS)[O]["result"]>;

export const ErrorReply = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: z.string(), message: z.string(), retryable: z.boolean() }),
});

/** `status` is answered by every replica (no queue group); the rest by one. */
export const BROADCAST_OPS: ReadonlySet<QueryOp> = new Set<QueryOp>(["status"]);
