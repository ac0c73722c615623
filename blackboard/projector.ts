import type { MsgHdrs } from "@nats-io/transport-node";
import { accountScopeViolation, inspectFact, type Fact } from "./contracts.ts";
import type { Channel } from "./contract-kinds.ts";
import { keys, normalizeAddress } from "./projection-keys.ts";
import type {
  CaseState,
  CaseStatus,
  Conflict,
  CustomerMemory,
  DeadLetter,
  DeadLetterReason,
} from "./projection-state.ts";
import type { BatchOp, ProjectionStore } from "./projection-store.ts";
import { EXPECT_CASE_SEQ_HEADER, parseFactSubject } from "./subjects.ts";
import { parseJsonStrict } from "../core/index.ts";

/** One message from the facts stream, as the applier hands it over. */
export interface LogMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
  /** When JetStream stored it (ISO); deterministic across replicas. */
  storedAt: string;
}

/**
 * Asks the mesh's contract registry for a kind's version this process has not
 * registered; true when it is registered afterwards. Throws when the
 * registry cannot be read, so a message is never dead-lettered on a guess.
 */
export type LearnKind = (kind: string, v: number | undefined) => Promise<boolean>;

/** What applying one log message decided. */
export type Outcome =
  | { type: "projected"; fact: Fact }
  | { type: "dead_letter"; deadLetter: DeadLetter; kind: string }
  | { type: "conflict"; conflict: Conflict; fact: Fact };

const PREVIEW_BYTES = 2048;

/**
 * Decides what one log message does to the projection and returns the writes,
 * to be committed in one batch with its sequence. A pure function of the
 * projection before it and the message, so every replica decides the same.
 * A fact of a kind (or version) this process has not registered is looked up
 * with `learn` first; still unknown, it is dead-lettered as `unknown_kind`.
 */
export async function project(store: ProjectionStore, msg: LogMessage, learn?: LearnKind): Promise<{ ops: BatchOp[]; outcome: Outcome }> {
  const rejected = await checkMessage(msg, learn);
  if ("deadLetter" in rejected) {
    return {
      ops: [{ type: "put", key: keys.deadLetter(msg.seq), value: rejected.deadLetter }],
      outcome: { type: "dead_letter", deadLetter: rejected.deadLetter, kind: rejected.kind },
    };
  }
  const fact = rejected.fact;
  const before = await store.caseState(fact.caseId);
  const unverified = accountScopeViolation(fact, before?.verifiedAccountId ?? null);
  if (unverified !== undefined) {
    const deadLetter: DeadLetter = {
      seq: msg.seq,
      subject: msg.subject,
      reason: "unverified_account",
      detail: unverified,
      issues: [{ path: "data.accountId", message: "must be the account identity.verified named on the case" }],
      storedAt: msg.storedAt,
      payloadPreview: Buffer.from(msg.data.subarray(0, PREVIEW_BYTES)).toString("utf8"),
      payloadBytes: msg.data.byteLength,
    };
    return { ops: [{ type: "put", key: keys.deadLetter(msg.seq), value: deadLetter }], outcome: { type: "dead_letter", deadLetter, kind: fact.kind } };
  }

  const expected = msg.headers?.get(EXPECT_CASE_SEQ_HEADER);
  if (expected !== undefined && expected !== "") {
    const actualSeq = before?.lastSeq ?? 0;
    const expectedSeq = Number(expected);
    if (!Number.isInteger(expectedSeq) || expectedSeq !== actualSeq) {
      const conflict: Conflict = {
        seq: msg.seq,
        caseId: fact.caseId,
        factId: fact.id,
        expectedSeq: Number.isInteger(expectedSeq) && expectedSeq >= 0 ? expectedSeq : 0,
        actualSeq,
      };
      return { ops: [{ type: "put", key: keys.conflict(msg.seq), value: conflict }], outcome: { type: "conflict", conflict, fact } };
    }
  }
  return { ops: await applyFact(store, before, fact, msg.seq), outcome: { type: "projected", fact } };
}

async function checkMessage(msg: LogMessage, learn: LearnKind | undefined): Promise<{ fact: Fact } | { deadLetter: DeadLetter; kind: string }> {
  const preview = Buffer.from(msg.data.subarray(0, PREVIEW_BYTES)).toString("utf8");
  const dead = (reason: DeadLetterReason, detail: string, issues: DeadLetter["issues"], kind: string) => ({
    kind,
    deadLetter: {
      seq: msg.seq,
      subject: msg.subject,
      reason,
      detail,
      issues,
      storedAt: msg.storedAt,
      payloadPreview: preview,
      payloadBytes: msg.data.byteLength,
    },
  });
  let value: unknown;
  try {
    value = parseJsonStrict(msg.data);
  } catch (err) {
    return dead("not_json", `payload is not UTF-8 JSON: ${String(err)}`, [], "unknown");
  }
  let checked = inspectFact(value);
  if (!checked.ok && checked.unknown !== undefined && learn !== undefined && (await learn(checked.unknown.kind, checked.unknown.v))) {
    checked = inspectFact(value);
  }
  if (!checked.ok && checked.unknown !== undefined) {
    const { kind, v } = checked.unknown;
    const what = v === undefined ? `fact kind ${kind}` : `${kind} v${v}`;
    return dead("unknown_kind", `${what} is not registered in the mesh's contract registry`, checked.issues, "unknown");
  }
  if (!checked.ok) {
    const first = checked.issues[0];
    const kind = checked.contract.startsWith("fact ") && checked.contract !== "fact" ? checked.contract.split(" ")[1] ?? "unknown" : "unknown";
    return dead("contract", `${checked.contract} is invalid at ${first?.path ?? "(root)"}: ${first?.message ?? ""}`, checked.issues, kind);
  }
  const fact = checked.fact;
  const subject = parseFactSubject(msg.subject);
  if (subject === undefined || subject.caseId !== fact.caseId || subject.kind !== fact.kind) {
    return dead(
      "subject_mismatch",
      `subject ${msg.subject} does not match fact ${fact.kind} of case ${fact.caseId}`,
      [{ path: "caseId", message: "must match the subject" }],
      fact.kind,
    );
  }
  return { fact };
}

async function applyFact(store: ProjectionStore, before: CaseState | undefined, fact: Fact, seq: number): Promise<BatchOp[]> {
  const ops: BatchOp[] = [];
  const state: CaseState = before === undefined ? emptyCase(fact) : { ...before, channels: [...before.channels], openNeeds: [...before.openNeeds] };
  state.lastSeq = seq;
  state.factCount += 1;
  if (!state.kinds.includes(fact.kind)) state.kinds = [...state.kinds, fact.kind].sort();
  state.updatedAt = fact.at;
  let customer: CustomerMemory | undefined;
  const loadCustomer = async (customerId: string): Promise<CustomerMemory> => {
    if (customer?.customerId === customerId) return customer;
    customer = (await store.customer(customerId)) ?? emptyCustomer(customerId, fact.at);
    customer = {
      ...customer,
      cases: [...customer.cases],
      addresses: [...customer.addresses],
      preferences: { ...customer.preferences },
      handlers: { ...customer.handlers },
    };
    return customer;
  };
  const useChannel = (channel: Channel) => {
    if (!state.channels.includes(channel)) state.channels.push(channel);
    state.currentChannel = channel;
  };

  switch (fact.kind) {
    case "case.opened":
      state.customerId = fact.data.customerId;
      state.tier = fact.data.tier;
      state.openedAt = fact.at;
      state.status = "open";
      useChannel(fact.data.channel);
      await loadCustomer(fact.data.customerId);
      break;
    case "message.received": {
      useChannel(fact.data.channel);
      const key = keys.clientMessage(fact.data.channel, fact.data.clientMessageId);
      if ((await store.clientMessage(fact.data.channel, fact.data.clientMessageId)) === undefined) {
        ops.push({ type: "put", key, value: { caseId: fact.caseId, customerId: state.customerId, seq, factId: fact.id } });
      }
      break;
    }
    case "customer.linked": {
      const address = normalizeAddress(fact.data.channel, fact.data.address);
      ops.push({ type: "put", key: keys.address(fact.data.channel, address), value: { customerId: fact.data.customerId, verified: fact.data.verified } });
      const c = await loadCustomer(fact.data.customerId);
      const known = c.addresses.findIndex((a) => a.channel === fact.data.channel && a.address === address);
      const entry = { channel: fact.data.channel, address, verified: fact.data.verified || (c.addresses[known]?.verified ?? false) };
      if (known >= 0) c.addresses[known] = entry;
      else c.addresses.push(entry);
      state.customerId ??= fact.data.customerId;
      break;
    }
    case "preference.noted": {
      const c = await loadCustomer(fact.data.customerId);
      c.preferences[fact.data.key] = fact.data.value;
      break;
    }
    case "need.opened":
      ops.push({
        type: "put",
        key: keys.need(fact.data.needId),
        value: {
          needId: fact.data.needId,
          caseId: fact.caseId,
          capability: fact.data.capability,
          seq,
          requires: fact.data.requires,
          attempt: fact.data.attempt,
          fallback: fact.data.fallback,
          claimedBy: null,
          openedAt: fact.at,
        },
      });
      if (!state.openNeeds.includes(fact.data.needId)) state.openNeeds.push(fact.data.needId);
      break;
    case "need.claimed": {
      const need = await store.need(fact.data.needId);
      if (need !== undefined) ops.push({ type: "put", key: keys.need(need.needId), value: { ...need, claimedBy: fact.data.peer, attempt: fact.data.attempt } });
      if (state.customerId !== null) (await loadCustomer(state.customerId)).handlers[fact.data.capability] = fact.data.peer;
      break;
    }
    case "need.done":
    case "need.failed":
      ops.push({ type: "del", key: keys.need(fact.data.needId) });
      state.openNeeds = state.openNeeds.filter((id) => id !== fact.data.needId);
      break;
    case "intent.classified":
      state.intent = fact.data.intent;
      break;
    case "identity.verified": {
      // Verification says whose case this is: a claimant who proved an
      // account joins the account's customer, and the case moves with them.
      const previous = state.customerId;
      state.identityVerified = true;
      state.verifiedAccountId = fact.data.accountId;
      state.customerId = fact.data.customerId;
      if (previous !== null && previous !== fact.data.customerId) {
        const old = await store.customer(previous);
        if (old !== undefined) {
          const awaiting = old.awaitingSecret?.caseId === fact.caseId ? null : old.awaitingSecret;
          ops.push({ type: "put", key: keys.customer(previous), value: { ...old, cases: old.cases.filter((x) => x.caseId !== fact.caseId), awaitingSecret: awaiting, updatedAt: fact.at } });
        }
      }
      const c = await loadCustomer(fact.data.customerId);
      c.verified = { method: fact.data.method, accountId: fact.data.accountId, at: fact.at, caseId: fact.caseId };
      if (c.awaitingSecret?.caseId === fact.caseId) c.awaitingSecret = null;
      break;
    }
    case "identity.challenged":
      if (state.customerId !== null) {
        (await loadCustomer(state.customerId)).awaitingSecret = { caseId: fact.caseId, challengeId: fact.data.challengeId, digits: fact.data.digits };
      }
      break;
    case "identity.locked":
      // Codes typed after a lock are still sealed: awaitingSecret stays until a verification.
      break;
    case "escalation.requested":
      if (state.status !== "resolved") state.status = "escalated";
      break;
    case "case.resolved":
      state.status = "resolved";
      break;
    case "timer.set": {
      const previous = await store.timerKey(fact.data.timerId);
      if (previous !== undefined) ops.push({ type: "del", key: previous });
      const key = keys.timer(fact.data.dueAt, fact.data.timerId);
      ops.push({
        type: "put",
        key,
        value: {
          timerId: fact.data.timerId,
          caseId: fact.caseId,
          dueAt: fact.data.dueAt,
          purpose: fact.data.purpose,
          action: fact.data.action,
          cancelIf: fact.data.cancelIf,
          setSeq: seq,
        },
      });
      ops.push({ type: "put", key: keys.timerById(fact.data.timerId), value: key });
      break;
    }
    case "timer.fired": {
      const previous = await store.timerKey(fact.data.timerId);
      if (previous !== undefined) ops.push({ type: "del", key: previous }, { type: "del", key: keys.timerById(fact.data.timerId) });
      break;
    }
    case "identity.attempted":
    case "account.loaded":
    case "credit.applied":
    case "reply.drafted":
    case "reply.delivered":
      break;
  }

  await statusOps(store, before, state, ops);
  if (state.customerId !== null && (customer !== undefined || before?.status !== state.status)) {
    const c = await loadCustomer(state.customerId);
    const i = c.cases.findIndex((x) => x.caseId === state.caseId);
    const entry = { caseId: state.caseId, status: state.status, openedAt: state.openedAt };
    if (i >= 0) c.cases[i] = entry;
    else c.cases.push(entry);
    c.updatedAt = fact.at;
    ops.push({ type: "put", key: keys.customer(c.customerId), value: c });
  }
  ops.push({ type: "put", key: keys.caseFact(fact.caseId, seq), value: { seq, fact } });
  ops.push({ type: "put", key: keys.caseState(fact.caseId), value: state });
  return ops;
}

async function statusOps(store: ProjectionStore, before: CaseState | undefined, after: CaseState, ops: BatchOp[]): Promise<void> {
  const old: CaseStatus | undefined = before?.status;
  if (old === after.status) return;
  if (old !== undefined) {
    ops.push({ type: "del", key: keys.statusIndex(old, after.caseId) });
    ops.push({ type: "put", key: keys.statusCount(old), value: (await store.statusCount(old)) - 1 });
  }
  ops.push({ type: "put", key: keys.statusIndex(after.status, after.caseId), value: "" });
  ops.push({ type: "put", key: keys.statusCount(after.status), value: (await store.statusCount(after.status)) + 1 });
}

function emptyCase(fact: Fact): CaseState {
  return {
    caseId: fact.caseId,
    customerId: null,
    status: "open",
    tier: "standard",
    channels: [],
    currentChannel: null,
    openedAt: null,
    updatedAt: fact.at,
    lastSeq: 0,
    factCount: 0,
    intent: null,
    identityVerified: false,
    verifiedAccountId: null,
    openNeeds: [],
    kinds: [],
  };
}

function emptyCustomer(customerId: string, at: string): CustomerMemory {
  return { customerId, cases: [], preferences: {}, verified: null, addresses: [], awaitingSecret: null, handlers: {}, updatedAt: at };
}
