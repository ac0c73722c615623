import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../core/clock.ts";
import { createIdGenerator } from "../../core/ids.ts";
import { FactId } from "../../blackboard/contract-envelope.ts";

test("fact ids sort in the order they were made, within a millisecond and across them, and never repeat", () => {
  const clock = new ManualClock(Date.parse("2026-11-30T12:00:00.000Z"));
  const next = createIdGenerator(clock);
  const ids: string[] = [];
  for (let ms = 0; ms < 50; ms++) {
    // Many ids in one millisecond, more than one pool of random bytes holds.
    for (let i = 0; i < 300; i++) ids.push(next());
    clock.advance(1);
  }
  for (const id of ids) assert.ok(FactId.safeParse(id).success, `${id} is a ULID`);
  assert.deepEqual([...ids].sort(), ids, "sorted as made");
  assert.equal(new Set(ids).size, ids.length, "no id repeats");
  // Two generators in the same millisecond do not collide.
  const other = createIdGenerator(clock);
  const mine = new Set(Array.from({ length: 1_000 }, next));
  assert.ok(Array.from({ length: 1_000 }, other).every((id) => !mine.has(id)));
});
