import type { Appended, FactDraft, FactWriter } from "../../blackboard/writer.ts";

/**
 * Appends `drafts` with at most `window` in flight, calling `onAck` after
 * each acknowledgement. Resolves with every acknowledged append, in draft order.
 */
export async function appendWindowed(
  writer: FactWriter,
  drafts: readonly FactDraft[],
  window: number,
  onAck: (done: number) => void | Promise<void> = () => undefined,
): Promise<Appended[]> {
  const results: Appended[] = new Array(drafts.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < drafts.length) {
      const i = next++;
      const draft = drafts[i];
      if (draft === undefined) continue;
      results[i] = await writer.append(draft);
      done++;
      await onAck(done);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  return results;
}
