/** Rotary position embedding in the Hugging Face rotate-half convention. */
import * as tf from "@tensorflow/tfjs";

export interface RopeTables {
  /** [maxPositions, headDim / 2] */
  cos: tf.Tensor2D;
  sin: tf.Tensor2D;
}

/** cos/sin of position·θ^(−2i/headDim) for every position and frequency i. */
export function ropeTables(headDim: number, theta: number, maxPositions: number): RopeTables {
  const half = headDim / 2;
  const cos = new Float32Array(maxPositions * half);
  const sin = new Float32Array(maxPositions * half);
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / theta ** ((2 * i) / headDim));
    for (let p = 0; p < maxPositions; p++) {
      const angle = Math.fround(p * invFreq);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor2d(cos, [maxPositions, half]), sin: tf.tensor2d(sin, [maxPositions, half]) };
}

/**
 * Rotates x [batch, seq, heads, headDim] for positions offset … offset+seq−1:
 * x·cos + rotate_half(x)·sin with rotate_half(x) = [−x₂, x₁].
 */
export function applyRope(x: tf.Tensor4D, tables: RopeTables, offset: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, seq, , headDim] = x.shape;
    const half = headDim / 2;
    const cos = tables.cos.slice([offset, 0], [seq, half]).reshape([seq, 1, half]);
    const sin = tables.sin.slice([offset, 0], [seq, half]).reshape([seq, 1, half]);
    const [x1, x2] = tf.split(x, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
    return tf.concat([x1.mul(cos).sub(x2.mul(sin)), x2.mul(cos).add(x1.mul(sin))], 3) as tf.Tensor4D;
  });
}
