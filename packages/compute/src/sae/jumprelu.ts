/**
 * `jumprelu` SAE (SAELens), inference only: f = ReLU(pre)·[pre > threshold], pre = (x − b_dec)·W_enc + b_enc.
 * Loaded from SAELens directories (threshold, or log_threshold, in sae_weights.safetensors).
 */
import * as tf from "@tensorflow/tfjs";
import type { SaeArchitecture } from "./architecture.js";
import { preActivations } from "./standard.js";

export const JUMPRELU_ARCHITECTURE = "jumprelu";

export const jumpReluArchitecture: SaeArchitecture = {
  architecture: JUMPRELU_ARCHITECTURE,
  extraWeights: ["threshold"],
  requiredConfig: [],
  encode: (x, w, cfg) =>
    tf.tidy(() => {
      if (!w.threshold) throw new Error("jumprelu SAE has no threshold tensor; load it from a SAELens directory.");
      const pre = preActivations(x, w, cfg);
      return tf.mul(tf.relu(pre), tf.cast(tf.greater(pre, w.threshold), "float32")) as tf.Tensor2D;
    }),
};
