/**
 * The steering write hook: at every position (prompt and generated tokens alike), with f the SAE's code of the
 * unsteered x at that position, computed once,
 *
 *   x ← x + Σ_clamp (v_k − f_k(x))·W_dec[k] + Σ_add v_k·W_dec[k]
 *
 * The SAE's error term x − SAE(x) is kept: only the chosen features' decoder directions move. For an SAE that
 * rescales its input (constant_norm_rescale) the edit is mapped back to x's units, as the SAE's decoding is.
 */
import * as tf from "@tensorflow/tfjs";
import type { WriteHook } from "../lm/types.js";
import type { Sae } from "../sae/sae.js";
import type { SteerFeature } from "./features.js";

/** The edit Σ coef_k·W_dec[k] [rows, d] for activations x [rows, d]. */
export function steeringDelta(sae: Sae, features: readonly SteerFeature[], x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const rows = x.shape[0];
    const k = features.length;
    const indices = tf.tensor1d(Int32Array.from(features.map((s) => s.index)), "int32");
    const directions = tf.gather(sae.weightTensors().W_dec, indices) as tf.Tensor2D;
    let coef = tf.tile(
      tf.tensor2d(
        features.map((s) => s.value),
        [1, k],
      ),
      [rows, 1],
    ) as tf.Tensor2D;
    if (features.some((s) => s.mode === "clamp")) {
      const current = tf.gather(sae.encodeTensor(x), indices, 1) as tf.Tensor2D;
      const isClamp = tf.tensor2d(
        features.map((s) => (s.mode === "clamp" ? 1 : 0)),
        [1, k],
      );
      coef = tf.sub(coef, tf.mul(current, isClamp)) as tf.Tensor2D;
    }
    const delta = tf.matMul(coef, directions);
    const scale = sae.inputScale(x);
    return (scale ? tf.div(delta, scale) : delta) as tf.Tensor2D;
  });
}

/** A write hook for the SAE's hook that applies the features' edits at every position. */
export function saeSteeringHook(sae: Sae, features: readonly SteerFeature[]): WriteHook {
  return (activation) =>
    tf.tidy(() => {
      if (features.length === 0) return activation.clone();
      const [batch, seq, d] = activation.shape;
      const x = activation.reshape([batch * seq, d]) as tf.Tensor2D;
      return tf.add(x, steeringDelta(sae, features, x)).reshape([batch, seq, d]) as tf.Tensor3D;
    });
}
