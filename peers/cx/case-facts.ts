import { factContract, type FactData, type FactKind, type StoredFact } from "../../blackboard/index.ts";
import "./facts.ts";

/**
 * Reading typed facts off a case projection. The blackboard hands a step its
 * facts with `data` unchecked; these helpers parse `data` against the kind's
 * contract where the step takes it in, and skip a fact that breaks it.
 */

/** Every fact of `kind` on the case, oldest first, with its data parsed. */
export function factsOf<K extends FactKind>(facts: readonly StoredFact[], kind: K): { seq: number; id: string; data: FactData<K> }[] {
  const out: { seq: number; id: string; data: FactData<K> }[] = [];
  for (const f of facts) {
    if (f.fact.kind !== kind) continue;
    const parsed = factContract(kind).data.safeParse(f.fact.data);
    if (parsed.success) out.push({ seq: f.seq, id: f.fact.id, data: parsed.data as FactData<K> });
  }
  return out;
}

/** The data of the latest fact of `kind` on the case, if any. */
export function latestOf<K extends FactKind>(facts: readonly StoredFact[], kind: K): FactData<K> | undefined {
  return factsOf(facts, kind).at(-1)?.data;
}
