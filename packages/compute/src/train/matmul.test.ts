import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matMul, matMulConstA } from "./matmul.js";

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
