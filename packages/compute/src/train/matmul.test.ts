import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { addBias, matMul, matMulConstA } from "./matmul.js";

await tf.setBackend("wasm");

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

test("matMul and matMulConstA have the gradients of tf.matMul", () => {
  for (const [n, k, m] of [
    [7, 5, 3],
    [3, 9, 11],
  ] as const) {
    const a = tf.randomNormal([n, k], 0, 1, "float32", 1) as tf.Tensor2D;
    const b = tf.randomNormal([k, m], 0, 1, "float32", 2) as tf.Tensor2D;
    const w = tf.randomNormal([n, m], 0, 1, "float32", 3);
    const loss = (fn: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(fn(x as tf.Tensor2D, y as tf.Tensor2D)), w)) as tf.Scalar;
    const ref = tf.grads(loss(tf.matMul))([a, b]);
    const ours = tf.grads(loss(matMul))([a, b]);
    assert.ok(maxDiff(ref[0]!, ours[0]!) < 1e-4);
    assert.ok(maxDiff(ref[1]!, ours[1]!) < 1e-4);
    const onlyB = tf.grad((y: tf.Tensor) => loss(matMulConstA)(a, y))(b);
    assert.ok(maxDiff(ref[1]!, onlyB) < 1e-4);
    assert.ok(maxDiff(tf.matMul(a, b), matMul(a, b)) < 1e-5);
  }
});

test("addBias has the value and the gradients of a broadcast tf.add", () => {
  for (const [rows, n] of [
    [1, 4],
    [37, 9],
  ] as const) {
    const x = tf.randomNormal([rows, n], 0, 1, "float32", 4) as tf.Tensor2D;
    const b = tf.randomNormal([n], 0, 1, "float32", 5) as tf.Tensor1D;
    const w = tf.randomNormal([rows, n], 0, 1, "float32", 6);
    const loss = (fn: (x: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D) => (u: tf.Tensor, v: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(fn(u as tf.Tensor2D, v as tf.Tensor1D)), w)) as tf.Scalar;
    const ref = tf.grads(loss((u, v) => tf.add(u, v) as tf.Tensor2D))([x, b]);
    const ours = tf.grads(loss(addBias))([x, b]);
    assert.ok(maxDiff(ref[0]!, ours[0]!) < 1e-5);
    assert.ok(maxDiff(ref[1]!, ours[1]!) < 1e-4);
    assert.deepEqual(ours[1]!.shape, [n]);
    assert.ok(maxDiff(tf.add(x, b), addBias(x, b)) < 1e-7);
  }
});
