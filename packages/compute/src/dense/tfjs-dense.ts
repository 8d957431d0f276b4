/** Dense products on the current tfjs backend. */
import * as tf from "@tensorflow/tfjs";
import { activate } from "../lm/layers.js";
import type { DenseProducts } from "./dense-products.js";

/**
 * Causal attention on tfjs. Batched matMul takes a slow scalar path on wasm, so both products run as one depthwise
 * convolution with a channel per (row, head): scores[i, j] = Σ_c q[i, c]·k[j, c] is a "valid" convolution of the
 * queries [seq, headDim] with a [headDim → keys] filter, and the same holds for probabilities times values.
 */
function attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, seq, heads, headDim] = q.shape;
    const keys = k.shape[1];
    const channels = batch * heads;
    const queries = q
      .mul(1 / Math.sqrt(headDim))
      .transpose([1, 3, 0, 2])
      .reshape([1, seq, headDim, channels]) as tf.Tensor4D;
    const keyFilter = k.transpose([3, 0, 2, 1]).reshape([1, headDim, channels, keys]) as tf.Tensor4D;
    const scores = tf.depthwiseConv2d(queries, keyFilter, 1, "valid").reshape([seq, batch, heads, keys]).add(mask);
    const probs = tf.softmax(scores).transpose([0, 3, 1, 2]).reshape([1, seq, keys, channels]) as tf.Tensor4D;
    const valueFilter = v.transpose([1, 0, 2, 3]).reshape([1, keys, channels, headDim]) as tf.Tensor4D;
    return tf
      .depthwiseConv2d(probs, valueFilter, 1, "valid")
      .reshape([seq, batch, heads * headDim])
      .transpose([1, 0, 2])
      .reshape([batch * seq, heads * headDim]) as tf.Tensor2D;
  });
}

function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  return (bias ? tf.fused.matMul({ a: x, b: weight, bias }) : tf.matMul(x, weight)) as tf.Tensor2D;
}

export const tfjsDense: DenseProducts = {
  engine: "tfjs",
  linear,
  product: (a, b) => tf.matMul(a, b),
  attention,
  mlp(x, w, activation) {
    return tf.tidy(() => {
      const up = linear(x, w.in, w.inBias);
      const hidden = w.gate
        ? activate(linear(x, w.gate, w.gateBias), activation).mul<tf.Tensor2D>(up)
        : activate(up, activation);
      return linear(hidden, w.out, w.outBias);
    });
  },
  release() {},
};
