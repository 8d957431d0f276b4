/** Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_. */
import * as tf from "@tensorflow/tfjs";

/** ‖g‖ over all gradients as a scalar tensor (caller disposes). */
export function globalNorm(grads: Readonly<Record<string, tf.Tensor>>): tf.Scalar {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}

/** The factor that brings a gradient of norm `norm` down to `maxNorm` (1 when already inside). */
export function clipScale(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0) || norm <= maxNorm) return 1;
  return maxNorm / (norm + 1e-6);
}
