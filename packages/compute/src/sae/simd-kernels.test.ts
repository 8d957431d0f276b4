import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, normalArray } from "../stats/rng.js";
import { KernelArena } from "./simd-kernels.js";

test("the SIMD axpy and dot equal plain loops for every length (vector part and scalar tail)", () => {
  const arena = new KernelArena();
  const rng = createRng(4);
  for (const n of [0, 1, 3, 4, 5, 8, 33, 256]) {
    arena.reserve(2 * n);
    const x = arena.alloc(n);
    const y = arena.alloc(n);
    x.set(normalArray(n, rng));
    y.set(normalArray(n, rng));
    let expectedDot = 0;
    for (let i = 0; i < n; i++) expectedDot += x[i]! * y[i]!;
    assert.ok(Math.abs(arena.kernels.dot(arena.address(x), arena.address(y), n) - expectedDot) < 1e-5, `dot ${n}`);
    const expected = y.map((v, i) => v + 0.75 * x[i]!);
    arena.kernels.axpy(arena.address(y), arena.address(x), 0.75, n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i]! - expected[i]!) < 1e-6, `axpy ${n} at ${i}`);
  }
});

test("the arena hands out zeroed arrays within the reservation and refuses foreign arrays", () => {
  const arena = new KernelArena();
  arena.reserve(100_000);
  const a = arena.alloc(70_000);
  a.fill(3);
  arena.reserve(100_000);
  assert.ok(arena.alloc(70_000).every((v) => v === 0));
  assert.throws(() => arena.alloc(70_000), /exceed the .* bytes reserved for this step/);
  assert.throws(() => arena.address(new Float32Array(4)), /must be allocated from the KernelArena/);
});
