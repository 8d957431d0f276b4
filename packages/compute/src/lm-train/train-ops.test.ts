import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { causalAttention, causalMask, crossEntropy, embeddingLookup } from "./train-ops.js";

await tf.setBackend("wasm");

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

test("embeddingLookup gathers rows and sums the gradient of repeated ids", () => {
  tf.tidy(() => {
    const table = tf.randomNormal([6, 3], 0, 1, "float32", 1) as tf.Tensor2D;
    const ids = tf.tensor1d([1, 4, 1, 0], "int32");
    const w = tf.randomNormal([4, 3], 0, 1, "float32", 2);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), w)))(table);
    const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.oneHot(ids, 6).toFloat(), t), w)))(table);
    assert.ok(maxDiff(ours, ref) < 1e-6);
    assert.ok(maxDiff(embeddingLookup(table, ids), tf.gather(table, ids)) < 1e-7);
  });
});

test("crossEntropy equals softmax cross-entropy in value and gradient", () => {
  tf.tidy(() => {
    const logits = tf.randomNormal([5, 7], 0, 3, "float32", 3) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 6, 3, 3, 1], "int32");
    const labels = tf.oneHot(targets, 7).toFloat();
    const ref = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, x) as tf.Scalar;
    const ours = (x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, targets);
    assert.ok(maxDiff(ours(logits), ref(logits)) < 1e-5);
    assert.ok(maxDiff(tf.grad(ours)(logits), tf.grad(ref)(logits)) < 1e-6);
  });
});

test("causalAttention matches plain tfjs attention in value and in every gradient", () => {
  tf.tidy(() => {
    const [heads, seq, hd] = [3, 5, 4];
    const plainMask = causalMask(seq).reshape([seq, seq]);
    const q = tf.randomNormal([heads, seq, hd], 0, 1, "float32", 4) as tf.Tensor3D;
    const k = tf.randomNormal([heads, seq, hd], 0, 1, "float32", 5) as tf.Tensor3D;
    const v = tf.randomNormal([heads, seq, hd], 0, 1, "float32", 6) as tf.Tensor3D;
    const w = tf.randomNormal([heads, seq, hd], 0, 1, "float32", 7);
    const mask = causalMask(seq);
    const plain = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const scores = tf.add(tf.div(tf.matMul(a, b, false, true), Math.sqrt(hd)), plainMask);
      return tf.matMul(tf.softmax(scores), c);
    };
    // causalAttention takes and returns [seq, heads, headDim].
    const toSeqFirst = (x: tf.Tensor) => tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
    const ours = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      toSeqFirst(causalAttention(toSeqFirst(a), toSeqFirst(b), toSeqFirst(c), mask));
    const loss = (f: typeof plain) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), w));
    assert.ok(maxDiff(ours(q, k, v), plain(q, k, v)) < 1e-5);
    const ref = tf.grads(loss(plain))([q, k, v]);
    const got = tf.grads(loss(ours))([q, k, v]);
    ref.forEach((g, i) => {
      assert.ok(maxDiff(g, got[i]!) < 1e-5, `gradient ${i}`);
    });
    // The first query sees only the first key: its output is the first value row.
    assert.ok(maxDiff(ours(q, k, v).slice([0, 0, 0], [heads, 1, hd]), v.slice([0, 0, 0], [heads, 1, hd])) < 1e-6);
  });
});
