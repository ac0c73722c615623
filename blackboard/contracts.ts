import { z } from "zod";
import { type ContractIssue, ContractViolationError } from "../core/index.ts";
import { FactEnvelope, envelopeShape } from "./contract-envelope.ts";
import { ACCOUNT_SCOPED_KINDS, FACT_KINDS, FACT_KIND_NAMES, isFactKind, type FactData, type FactKind } from "./contract-kinds.ts";

/**
 * The one registry of fact contracts: the envelope plus each kind's data, by
 * version. `checkFact` is what every writer and reader calls where a fact
 * enters; it names the first offending field.
 */

/** The largest encoded fact, in bytes. The stream refuses anything larger. */
export const MAX_FACT_BYTES = 128 * 1024;

/** A fact of kind `K`: the envelope with `data` narrowed to that kind's contract. */
export type FactOf<K extends FactKind> = Omit<FactEnvelope, "kind" | "data"> & { kind: K; data: FactData<K> };

/** Any known fact. Narrow it with `fact.kind`. */
export type Fact = { [K in FactKind]: FactOf<K> }[FactKind];

const schemas = new Map<FactKind, z.ZodType>(
  FACT_KIND_NAMES.map((k) => [
    k,
    z.strictObject({ ...envelopeShape, kind: z.literal(k), v: z.literal(FACT_KINDS[k].v), data: FACT_KINDS[k].data }),
  ]),
);

/** The full schema (envelope and data) of one kind, e.g. for JSON Schema export. */
export function factSchema(kind: FactKind): z.ZodType {
  const schema = schemas.get(kind);
  if (schema === undefined) throw new Error(`no schema for ${kind}`);
  return schema;
}

/** The outcome of checking a value against the fact contracts. */
export type FactCheck =
  | { ok: true; fact: Fact }
  | { ok: false; contract: string; issues: ContractIssue[] };

/** Checks `value` against the envelope and its kind's contract, without throwing. */
export function inspectFact(value: unknown): FactCheck {
  const kindField = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kindField === "string" && !isFactKind(kindField)) {
    return { ok: false, contract: "fact", issues: [{ path: "kind", message: `unknown fact kind '${kindField}'` }] };
  }
  const envelope = FactEnvelope.safeParse(value);
  if (!envelope.success) {
    const contract = typeof kindField === "string" && isFactKind(kindField) ? contractName(kindField) : "fact";
    return { ok: false, contract, issues: toIssues(envelope.error) };
  }
  const e = envelope.data;
  if (!isFactKind(e.kind)) {
    return { ok: false, contract: "fact", issues: [{ path: "kind", message: "must be a known fact kind" }] };
  }
  const spec = FACT_KINDS[e.kind];
  if (e.v !== spec.v) {
    return {
      ok: false,
      contract: contractName(e.kind),
      issues: [{ path: "v", message: `unsupported contract version ${e.v} of ${e.kind} (this build knows v${spec.v})` }],
    };
  }
  const data = spec.data.safeParse(e.data);
  if (!data.success) return { ok: false, contract: contractName(e.kind), issues: toIssues(data.error, "data") };
  return { ok: true, fact: { ...e, data: data.data } as Fact };
}

/** Returns `value` as a {@link Fact}, or throws {@link ContractViolationError} naming the field. */
export function checkFact(value: unknown): Fact {
  const result = inspectFact(value);
  if (!result.ok) throw new ContractViolationError(result.contract, result.issues);
  return result.fact;
}

/**
 * Why an account-scoped fact (see {@link ACCOUNT_SCOPED_KINDS}) may not go on
 * a case whose verified account is `verifiedAccountId` (null: none), or
 * undefined when it may. Every other kind may.
 */
export function accountScopeViolation(fact: Pick<Fact, "kind" | "data">, verifiedAccountId: string | null): string | undefined {
  if (!ACCOUNT_SCOPED_KINDS.has(fact.kind)) return undefined;
  const accountId = (fact.data as { accountId?: unknown }).accountId;
  if (verifiedAccountId === null) return `${fact.kind} for account ${String(accountId)} on a case without a verified identity`;
  if (accountId !== verifiedAccountId) return `${fact.kind} for account ${String(accountId)} on a case verified for another account`;
  return undefined;
}

/** `fact credit.applied v1` */
export function contractName(kind: FactKind): string {
  return `fact ${kind} v${FACT_KINDS[kind].v}`;
}

/** The JSON Schema (draft 2020-12) of one kind, for peers written in other languages. */
export function factJsonSchema(kind: FactKind): Record<string, unknown> {
  const spec = FACT_KINDS[kind];
  const generated = z.toJSONSchema(factSchema(kind), { target: "draft-2020-12", unrepresentable: "any" });
  return {
    $id: `https://casemesh.dev/contracts/facts/${kind}.v${spec.v}.schema.json`,
    title: `${kind} v${spec.v}`,
    description: spec.description,
    ...generated,
  };
}

function toIssues(error: z.ZodError, prefix?: string): ContractIssue[] {
  return error.issues.map((issue) => {
    const parts = prefix === undefined ? [] : [prefix];
    for (const p of issue.path) parts.push(String(p));
    if (issue.code === "unrecognized_keys") {
      return { path: [...parts, issue.keys[0] ?? ""].join("."), message: `unknown field(s) ${issue.keys.join(", ")}` };
    }
    return { path: parts.join("."), message: issue.message };
  });
}
