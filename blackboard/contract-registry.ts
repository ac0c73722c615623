import { z } from "zod";
import { ConflictError, type ContractIssue } from "../core/index.ts";
import { FactEnvelope, envelopeShape, KindName } from "./contract-envelope.ts";

/**
 * The open registry of fact contracts. A kind is registered, not listed: the
 * blackboard registers the kinds the mesh itself interprets, an application
 * registers its own, and a user's peer registers the kinds it writes, each
 * with the same checks, versions and JSON Schema export. Every process holds
 * one registry ({@link factRegistry}); the mesh shares the contracts through
 * a KV bucket (contract-store.ts), so a replica learns a kind registered by a
 * peer that joined after it, without a restart.
 *
 * A contract is never edited in place: registering a kind's version again
 * with another schema is refused; a change is a new version.
 */

/** What a fact kind's contract says, as code defines it. */
export interface KindSpec<D extends z.ZodType = z.ZodType> {
  /** The contract version; a change to `data` is a new version. */
  v: number;
  description: string;
  /** The schema of the fact's `data`: strict, so a typo never slips into the log. */
  data: D;
  /**
   * The fact carries an account's data or changes an account (`data.accountId`):
   * the log takes it only on a case whose verified account it names; the
   * writer refuses it and the blackboard dead-letters it otherwise.
   */
  accountScoped?: boolean;
}

/** A registered contract of one kind at one version. */
export interface KindContract {
  kind: string;
  v: number;
  description: string;
  data: z.ZodType;
  accountScoped: boolean;
  /** Who registered it: `blackboard`, an application, a peer. */
  owner: string;
  /** `code`: defined by this process; `mesh`: learned from the mesh's registry. */
  origin: "code" | "mesh";
  /** The JSON Schema (draft 2020-12) of `data`, as it is shared and compared. */
  dataJsonSchema: Record<string, unknown>;
  /** The whole fact's schema: the envelope with this kind, version and data. */
  schema: z.ZodType;
}

/** The outcome of checking a value against the registered contracts. */
export type RegistryCheck =
  | { ok: true; fact: FactEnvelope }
  | { ok: false; contract: string; issues: ContractIssue[]; unknown?: { kind: string; v: number | undefined } };

/** The JSON Schema of a data schema, as the registry shares and compares it. */
export function dataJsonSchema(data: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(data, { target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
}

/** `fact credit.applied v1` */
export function contractLabel(kind: string, v: number): string {
  return `fact ${kind} v${v}`;
}

/** The fact contracts one process knows. */
export class FactRegistry {
  readonly #byKind = new Map<string, Map<number, KindContract>>();
  /** Each kind's latest version: what a writer writes, looked up on every fact. */
  readonly #latest = new Map<string, KindContract>();
  readonly #listeners = new Set<(contract: KindContract) => void>();

  /**
   * Registers `specs` (kind → contract) for `owner`. Registering the same
   * kind and version again with the same data schema does nothing.
   * @throws ConflictError when a kind's version is registered with another schema.
   */
  register(owner: string, specs: Readonly<Record<string, KindSpec>>): void {
    for (const [kind, spec] of Object.entries(specs)) {
      this.add({
        kind: KindName.parse(kind),
        v: spec.v,
        description: spec.description,
        data: spec.data,
        accountScoped: spec.accountScoped ?? false,
        owner,
        origin: "code",
        dataJsonSchema: dataJsonSchema(spec.data),
      });
    }
  }

  /**
   * Adds one contract (from code, or learned from the mesh). Returns false
   * when the same contract was already there.
   * @throws ConflictError when that kind's version is registered with another schema.
   */
  add(contract: Omit<KindContract, "schema">): boolean {
    if (!Number.isInteger(contract.v) || contract.v < 1) throw new RangeError(`${contract.kind}: a contract version is a positive integer, not ${contract.v}`);
    const versions = this.#byKind.get(contract.kind) ?? new Map<number, KindContract>();
    const existing = versions.get(contract.v);
    if (existing !== undefined) {
      if (sameSchema(existing.dataJsonSchema, contract.dataJsonSchema) && existing.accountScoped === contract.accountScoped) return false;
      throw new ConflictError(
        `${contractLabel(contract.kind, contract.v)} is registered by ${existing.owner} with another contract than ${contract.owner}'s; a contract never changes in place: register v${Math.max(...versions.keys()) + 1}`,
      );
    }
    const full: KindContract = {
      ...contract,
      schema: z.strictObject({ ...envelopeShape, kind: z.literal(contract.kind), v: z.literal(contract.v), data: contract.data }),
    };
    versions.set(contract.v, full);
    this.#byKind.set(contract.kind, versions);
    if ((this.#latest.get(contract.kind)?.v ?? 0) < contract.v) this.#latest.set(contract.kind, full);
    for (const listener of this.#listeners) listener(full);
    return true;
  }

  /** The contract of `kind` at version `v`, or at its latest version when `v` is undefined. */
  contract(kind: string, v?: number): KindContract | undefined {
    return v === undefined ? this.#latest.get(kind) : this.#byKind.get(kind)?.get(v);
  }

  has(kind: string): boolean {
    return this.#byKind.has(kind);
  }

  /** Every registered kind, in registration order. */
  kinds(): string[] {
    return [...this.#byKind.keys()];
  }

  /** Every registered contract, every version, in registration order. */
  contracts(): KindContract[] {
    return [...this.#byKind.values()].flatMap((versions) => [...versions.values()]);
  }

  /** Calls `listener` with each contract added from now on; returns the function that stops it. */
  onAdd(listener: (contract: KindContract) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Checks `value` against the envelope and its kind's contract at its version, without throwing. */
  inspect(value: unknown): RegistryCheck {
    const fields = typeof value === "object" && value !== null ? (value as { kind?: unknown; v?: unknown }) : {};
    const kindField = typeof fields.kind === "string" ? fields.kind : undefined;
    const vField = typeof fields.v === "number" ? fields.v : undefined;
    if (kindField !== undefined && !this.has(kindField)) {
      return { ok: false, contract: "fact", issues: [{ path: "kind", message: `unknown fact kind '${kindField}'` }], unknown: { kind: kindField, v: vField } };
    }
    const envelope = FactEnvelope.safeParse(value);
    if (!envelope.success) {
      const latest = kindField === undefined ? undefined : this.contract(kindField);
      return { ok: false, contract: latest === undefined ? "fact" : contractLabel(latest.kind, latest.v), issues: toIssues(envelope.error) };
    }
    const e = envelope.data;
    const contract = this.contract(e.kind, e.v);
    if (contract === undefined) {
      const known = [...(this.#byKind.get(e.kind)?.keys() ?? [])].map((v) => `v${v}`).join(", ");
      return {
        ok: false,
        contract: contractLabel(e.kind, e.v),
        issues: [{ path: "v", message: `unsupported contract version ${e.v} of ${e.kind} (this process knows ${known})` }],
        unknown: { kind: e.kind, v: e.v },
      };
    }
    const data = contract.data.safeParse(e.data);
    if (!data.success) return { ok: false, contract: contractLabel(e.kind, e.v), issues: toIssues(data.error, "data") };
    return { ok: true, fact: { ...e, data: data.data as FactEnvelope["data"] } };
  }
}

/** True when two data JSON Schemas say the same (key order and `$schema` aside). */
export function sameSchema(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so two equal schemas compare equal however they were built. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== "$schema")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
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

/** This process's registry: every writer, projector and reader checks facts with it. */
export const factRegistry = new FactRegistry();
