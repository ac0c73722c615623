import { z } from "zod";
import { ContractViolationError } from "../core/index.ts";
import type { FactEnvelope } from "./contract-envelope.ts";
import type { FactData, FactKind, FactKindSpecs } from "./contract-kinds.ts";
import { contractLabel, factRegistry, type KindContract, type RegistryCheck } from "./contract-registry.ts";

/**
 * Checking facts against this process's {@link factRegistry}: `checkFact` is
 * what every writer and reader calls where a fact enters; it names the first
 * offending field.
 */

/** The largest encoded fact, in bytes. The stream refuses anything larger. */
export const MAX_FACT_BYTES = 128 * 1024;

/** A fact of kind `K`: the envelope with `data` narrowed to that kind's contract. */
export type FactOf<K extends FactKind> = Omit<FactEnvelope, "kind" | "data"> & { kind: K; data: FactData<K> };

/** Any fact of a kind the type checker knows. Narrow it with `fact.kind`. */
export type Fact = { [K in FactKind]: FactOf<K> }[FactKind];

/** The outcome of checking a value against the fact contracts. */
export type FactCheck =
  | { ok: true; fact: Fact }
  | Extract<RegistryCheck, { ok: false }>;

/** Checks `value` against the envelope and its kind's contract at its version, without throwing. */
export function inspectFact(value: unknown): FactCheck {
  return factRegistry.inspect(value) as FactCheck;
}

/** Returns `value` as a {@link Fact}, or throws {@link ContractViolationError} naming the field. */
export function checkFact(value: unknown): Fact {
  const result = inspectFact(value);
  if (!result.ok) throw new ContractViolationError(result.contract, result.issues);
  return result.fact;
}

/** The latest registered contract of `kind`, typed. @throws Error when this process has not registered it. */
export function factContract<K extends FactKind>(kind: K): Omit<KindContract, "data"> & { data: FactKindSpecs[K]["data"] } {
  const contract = factRegistry.contract(kind);
  if (contract === undefined) throw new Error(`fact kind ${kind} is not registered in this process; import the module that defines it`);
  return contract as Omit<KindContract, "data"> & { data: FactKindSpecs[K]["data"] };
}

/** The full schema (envelope and data) of one kind at its latest version, e.g. for JSON Schema export. */
export function factSchema(kind: string): z.ZodType {
  const contract = factRegistry.contract(kind);
  if (contract === undefined) throw new Error(`no schema for ${kind}`);
  return contract.schema;
}

/**
 * Why an account-scoped fact (see `accountScoped` on its contract) may not go
 * on a case whose verified account is `verifiedAccountId` (null: none), or
 * undefined when it may. Every other kind may. Without `v`, the kind's
 * latest version decides.
 */
export function accountScopeViolation(fact: Pick<FactEnvelope, "kind" | "data"> & { v?: number }, verifiedAccountId: string | null): string | undefined {
  if (factRegistry.contract(fact.kind, fact.v)?.accountScoped !== true) return undefined;
  const accountId = (fact.data as { accountId?: unknown }).accountId;
  if (verifiedAccountId === null) return `${fact.kind} for account ${String(accountId)} on a case without a verified identity`;
  if (accountId !== verifiedAccountId) return `${fact.kind} for account ${String(accountId)} on a case verified for another account`;
  return undefined;
}

/** `fact credit.applied v1`, at the kind's latest version. */
export function contractName(kind: string): string {
  const contract = factRegistry.contract(kind);
  return contract === undefined ? `fact ${kind}` : contractLabel(kind, contract.v);
}

/** The JSON Schema (draft 2020-12) of one registered kind's whole fact (latest version unless `v`), for peers written in other languages. */
export function factJsonSchema(kind: string, v?: number): Record<string, unknown> {
  const contract = factRegistry.contract(kind, v);
  if (contract === undefined) throw new Error(`no contract for ${kind}${v === undefined ? "" : ` v${v}`}`);
  return {
    $id: `https://casemesh.dev/contracts/facts/${contract.kind}.v${contract.v}.schema.json`,
    title: `${contract.kind} v${contract.v}`,
    description: contract.description,
    ...z.toJSONSchema(contract.schema, { target: "draft-2020-12", unrepresentable: "any" }),
  };
}
