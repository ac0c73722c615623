import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeskBoardOptions, FactWriterOptions } from "../../blackboard/index.ts";
import { clockFromEnv, ManualClock, ManualMeshClock, type MeshClock, meshClockOf, OffsetClock, systemClock, systemMeshClock, type WallClock } from "../../core/index.ts";
import type { PeerHostOptions } from "../../peers/index.ts";

// These lines are checked by `npm run typecheck` (CI runs it): each
// expect-error directive below fails the type check if the swap it marks ever compiles.
test("a wall clock cannot stand for the mesh clock, nor a mesh clock for the wall clock", () => {
  const wall: WallClock = systemClock;
  // @ts-expect-error leases read the wall clock, facts the mesh clock
  const mesh: MeshClock = wall;
  // @ts-expect-error a mesh clock may run ahead of the wall
  const lease: WallClock = systemMeshClock;
  // @ts-expect-error a fact writer stamps facts on the mesh clock
  const writerClock: FactWriterOptions["clock"] = systemClock;
  // @ts-expect-error a desk board's stamps and expiries are wall time
  const boardClock: DeskBoardOptions["clock"] = systemMeshClock;
  // @ts-expect-error a peer host's lease clock is the wall clock
  const hostLease: PeerHostOptions["clock"] = systemMeshClock;
  // @ts-expect-error a manual clock is a wall clock; a manual mesh clock is its own class
  const manualMesh: MeshClock = new ManualClock(0);
  void [mesh, lease, writerClock, boardClock, hostLease, manualMesh];

  assert.equal(wall.timeline, "wall");
  assert.equal(systemMeshClock.timeline, "mesh");
});

test("where one clock stands for the other it says so, and reads the same time", () => {
  const manual = new ManualClock(Date.UTC(2026, 11, 7));
  const mesh = meshClockOf(manual);
  assert.equal(mesh.timeline, "mesh");
  manual.advance(60_000);
  assert.equal(mesh.now(), Date.UTC(2026, 11, 7) + 60_000);
  const meshManual = new ManualMeshClock(5);
  const asMesh: MeshClock = meshManual;
  assert.equal(asMesh.now(), 5);
});

test("an offset and the scheduling clock from the environment are on the mesh timeline", () => {
  assert.equal(new OffsetClock(1_000).timeline, "mesh");
  assert.equal(clockFromEnv({ CASEMESH_CLOCK_OFFSET_MS: "86400000" }).timeline, "mesh");
  assert.equal(clockFromEnv({}), systemMeshClock);
});
