import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import type { Activation } from "../lm/config.js";
import { maxAbsDifference } from "../lm/reference.js";
import { onnxDense, onnxRuntimeVersion } from "./onnx-dense.js";
import { tfjsDense } from "./tfjs-dense.js";

await initBackend("wasm");

function random(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, "float32", seed);
}

test("onnxruntime-node is the pinned version and loads from the package, with no download", () => {
  assert.equal(onnxRuntimeVersion(), "1.30.0");
});

test("onnxruntime's linear layer equals tfjs's, with and without bias, for any row count", () => {
  const onnx = onnxDense(1);
  const w = random([24, 40], 1) as tf.Tensor2D;
  const b = random([40], 2) as tf.Tensor1D;
  for (const rows of [1, 7, 33]) {
    const x = random([rows, 24], rows) as tf.Tensor2D;
    for (const bias of [b, null]) {
      const [mine, theirs] = [onnx.linear(x, w, bias), tfjsDense.linear(x, w, bias)];
      assert.deepEqual(mine.shape, [rows, 40]);
      assert.ok(maxAbsDifference(mine.dataSync(), theirs.dataSync()) <= 1e-5);
      tf.dispose([mine, theirs]);
    }
    x.dispose();
  }
  assert.throws(() => onnx.linear(random([3, 5], 9) as tf.Tensor2D, w, b), /x has 5 columns, the weight 24 rows/);
  onnx.release([w]);
  tf.dispose([w, b]);
});

test("onnxruntime's MLP equals tfjs's for every activation, plain and gated", () => {
  const onnx = onnxDense(1);
  const x = random([9, 16], 3) as tf.Tensor2D;
  for (const activation of ["gelu_new", "gelu", "silu", "relu"] as Activation[]) {
    for (const gated of [false, true]) {
      const w = {
        in: random([16, 48], 4) as tf.Tensor2D,
        inBias: gated ? null : (random([48], 5) as tf.Tensor1D),
        gate: gated ? (random([16, 48], 6) as tf.Tensor2D) : null,
        gateBias: null,
        out: random([48, 16], 7) as tf.Tensor2D,
        outBias: random([16], 8) as tf.Tensor1D,
      };
      const [mine, theirs] = [onnx.mlp(x, w, activation), tfjsDense.mlp(x, w, activation)];
      assert.ok(maxAbsDifference(mine.dataSync(), theirs.dataSync()) <= 1e-5, `${activation} gated=${gated}`);
      const tensors: tf.Tensor[] = Object.values(w).filter((t) => t !== null);
      onnx.release(tensors);
      tf.dispose([mine, theirs, ...tensors]);
    }
  }
  x.dispose();
});

test("onnxruntime's causal attention equals tfjs's, cached keys included", () => {
  const onnx = onnxDense(1);
  const [batch, seq, keys, heads, headDim] = [2, 3, 5, 4, 8];
  const q = random([batch, seq, heads, headDim], 10) as tf.Tensor4D;
  const k = random([batch, keys, heads, headDim], 11) as tf.Tensor4D;
  const v = random([batch, keys, heads, headDim], 12) as tf.Tensor4D;
  const maskValues = new Float32Array(seq * keys);
  for (let i = 0; i < seq; i++) for (let j = keys - seq + i + 1; j < keys; j++) maskValues[i * keys + j] = -1e9;
  const mask = tf.tensor4d(maskValues, [seq, 1, 1, keys]);
  const [mine, theirs] = [onnx.attention(q, k, v, mask), tfjsDense.attention(q, k, v, mask)];
  assert.deepEqual(mine.shape, [batch * seq, heads * headDim]);
  assert.ok(maxAbsDifference(mine.dataSync(), theirs.dataSync()) <= 1e-5);
  tf.dispose([q, k, v, mask, mine, theirs]);
});

test("onnxruntime's product of two run-time operands equals tfjs's and reads the operands at every call", () => {
  const onnx = onnxDense(1);
  const a = random([9, 16], 11) as tf.Tensor2D;
  const b = tf.variable(random([16, 5], 12) as tf.Tensor2D);
  const first = onnx.product(a, b);
  assert.ok(maxAbsDifference(first.dataSync(), tfjsDense.product(a, b).dataSync()) <= 1e-5);
  b.assign(tf.mul(b, 2) as tf.Tensor2D);
  const second = onnx.product(a, b);
  assert.ok(maxAbsDifference(second.dataSync(), tfjsDense.product(a, b).dataSync()) <= 1e-5);
  assert.throws(() => onnx.product(b, a), /a has 5 columns, b 9 rows/);
  tf.dispose([a, b, first, second]);
});
