import assert from "node:assert/strict";
import { test } from "node:test";
import { DeadLatents } from "./dead-latents.js";

test("a latent that fires on no row of a window is dead; the mask counts steps since it last fired", () => {
  const dead = new DeadLatents(3, 2);
  dead.record(Float32Array.of(4, 0, 0));
  assert.equal(dead.deadFraction, null);
  assert.deepEqual(dead.mask(), { dead: Float32Array.of(0, 0, 0), deadCount: 0 });
  dead.record(Float32Array.of(1, 2, 0));
  assert.equal(dead.deadFraction, 1 / 3);
  assert.deepEqual(dead.mask(), { dead: Float32Array.of(0, 0, 1), deadCount: 1 });
  assert.deepEqual(dead.silentFor(1), [2]);
  dead.record(Float32Array.of(0, 1, 0));
  assert.deepEqual(dead.silentFor(1), [0, 2]);
  assert.deepEqual(dead.silentFor(3), [2]);
  dead.revive([2]);
  assert.deepEqual(dead.silentFor(1), [0]);
});

test("exported state restores the counters mid-window", () => {
  const a = new DeadLatents(4, 3);
  for (const firing of [Float32Array.of(1, 0, 0, 2), Float32Array.of(0, 0, 3, 1)]) a.record(firing);
  const b = new DeadLatents(4, 3);
  b.importState(a.exportState());
  for (const t of [a, b]) t.record(Float32Array.of(0, 0, 0, 1));
  assert.deepEqual(b.exportState(), a.exportState());
  assert.equal(b.deadFraction, 1 / 4);
  assert.deepEqual(b.mask(), a.mask());
});
