/** The elementwise pieces of a transformer block, chosen by the architecture's data. */
import * as tf from "@tensorflow/tfjs";
import type { Activation, NormKind } from "./config.js";
import type { NormWeights } from "./loader.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function normalize<T extends tf.Tensor>(x: T, kind: NormKind, eps: number, w: NormWeights): T {
  return tf.tidy(() => {
    const last = x.rank - 1;
    let y: tf.Tensor;
    if (kind === "layernorm") {
      const centred = x.sub(x.mean(last, true));
      y = centred.mul(tf.rsqrt(centred.square().mean(last, true).add(eps)));
    } else {
      y = x.mul(tf.rsqrt(x.square().mean(last, true).add(eps)));
    }
    y = y.mul(w.weight);
    return (w.bias ? y.add(w.bias) : y) as T;
  });
}

export function activate<T extends tf.Tensor>(x: T, kind: Activation): T {
  return tf.tidy(() => {
    switch (kind) {
      case "gelu_new": {
        // 0.5·(1 + tanh(z)) = sigmoid(2z); sigmoid is several times faster than tanh on wasm.
        const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(2 * SQRT_2_OVER_PI);
        return x.mul(tf.sigmoid(inner)) as T;
      }
      case "gelu":
        return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5) as T;
      case "silu":
        return x.mul(tf.sigmoid(x)) as T;
      case "relu":
        return tf.relu(x) as T;
    }
  });
}

/**
 * Additive causal mask [seq, 1, 1, offset + seq] (query, ·, ·, key): 0 where query i (at position offset+i) may see
 * key j, else −1e9.
 */
export function causalMask(seq: number, offset: number): tf.Tensor4D {
  const keys = offset + seq;
  const mask = new Float32Array(seq * keys);
  for (let i = 0; i < seq; i++) for (let j = offset + i + 1; j < keys; j++) mask[i * keys + j] = -1e9;
  return tf.tensor4d(mask, [seq, 1, 1, keys]);
}
