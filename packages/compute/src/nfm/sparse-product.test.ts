import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng } from "../stats/rng.js";
import { matMulConstA } from "../train/matmul.js";
import { biInteraction } from "./bi-pooling.js";
import { denseCodes, sparseCodes, sparseMatMul } from "./sparse-product.js";

await tf.setBackend("wasm");

function randomCodes(rows: number, width: number, density: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * width }, () => (rng.next() < density ? rng.next() * 3 : 0));
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tolerance * (1 + Math.abs(expected[i]!)),
      `${what} at ${i}: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

test("sparse codes round-trip through CSR, including empty rows", () => {
  const dense = randomCodes(7, 30, 0.15, 1);
  dense.fill(0, 2 * 30, 3 * 30);
  const codes = sparseCodes(dense, 7, 30);
  assert.equal(codes.rowStart[3], codes.rowStart[2], "row 2 has no active features");
  assert.deepEqual(Array.from(denseCodes(codes)), Array.from(dense));
  assert.throws(() => sparseCodes(dense, 6, 30), /not 6 rows of 30/);
});

test("sparseMatMul equals the dense product and its weight gradient (≤ 1e-5)", () => {
  const rows = 33;
  const width = 70;
  const cols = 9;
  const dense = randomCodes(rows, width, 0.1, 2);
  const rng = createRng(3);
  const w = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: width * cols }, () => rng.normal()),
      [width, cols],
    ),
  );
  const dy = tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => rng.normal()),
    [rows, cols],
  );
  const codes = sparseCodes(dense, rows, width);
  const f = tf.tensor2d(dense, [rows, width]);
  const loss = (product: () => tf.Tensor2D) => () => tf.sum(tf.mul(product(), dy)) as tf.Scalar;
  const sparse = tf.variableGrads(
    loss(() => sparseMatMul(codes, w)),
    [w],
  );
  const reference = tf.variableGrads(
    loss(() => matMulConstA(f, w)),
    [w],
  );
  assertClose(sparse.value.dataSync(), reference.value.dataSync(), 1e-5, "value");
  assertClose(sparse.grads[w.name]!.dataSync(), reference.grads[w.name]!.dataSync(), 1e-5, "gradient");
  assert.throws(() => sparseMatMul({ ...codes, width: width + 1 }, w), /71 features but the weights 70 rows/);
  tf.dispose([
    w,
    dy,
    f,
    sparse.value,
    reference.value,
    ...Object.values(sparse.grads),
    ...Object.values(reference.grads),
  ]);
});

test("BI pooling of sparse codes equals the dense pooling, and so do the gradients to V (≤ 1e-4)", () => {
  const rows = 20;
  const width = 50;
  const k = 5;
  const dense = randomCodes(rows, width, 0.12, 4);
  const rng = createRng(5);
  const v = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: width * k }, () => rng.normal() * 0.4),
      [width, k],
    ),
  );
  const f = tf.tensor2d(dense, [rows, width]);
  const codes = sparseCodes(dense, rows, width);
  const sparse = tf.variableGrads(() => tf.sum(tf.square(biInteraction(codes, v))) as tf.Scalar, [v]);
  const reference = tf.variableGrads(() => tf.sum(tf.square(biInteraction(f, v))) as tf.Scalar, [v]);
  assertClose(sparse.value.dataSync(), reference.value.dataSync(), 1e-4, "value");
  assertClose(sparse.grads[v.name]!.dataSync(), reference.grads[v.name]!.dataSync(), 1e-4, "gradient");
  assert.throws(() => biInteraction(codes, v, { inputGradients: true }), /dense tensor/);
  tf.dispose([v, f, sparse.value, reference.value, ...Object.values(sparse.grads), ...Object.values(reference.grads)]);
});
