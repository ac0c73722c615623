import type { BlackboardClient } from "../../blackboard/client.ts";
import type { StoredFact } from "../../blackboard/projection-state.ts";

/** Polls `check` until it returns a value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The facts of a case once `done` holds for them. */
export function caseFactsWhen(
  client: BlackboardClient,
  caseId: string,
  done: (facts: StoredFact[]) => boolean,
  timeoutMs = 20_000,
): Promise<StoredFact[]> {
  return eventually(`case ${caseId} to settle`, async () => {
    const got = await client.getCase({ caseId }).catch(() => undefined);
    return got !== undefined && done(got.facts) ? got.facts : undefined;
  }, timeoutMs);
}

/** Facts of `kind` about need `needId`. */
export function needFacts(facts: StoredFact[], kind: string, needId: string): StoredFact[] {
  return facts.filter((f) => f.fact.kind === kind && (f.fact.data as { needId?: string }).needId === needId);
}
