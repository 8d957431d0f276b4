/** The trainable parameters every hand-written SAE trainer starts from: W_enc, W_dec, b_enc, b_dec as variables. */
import * as tf from "@tensorflow/tfjs";
import type { TrainerInit } from "./architecture.js";

export function createTrainerParams({ cfg, weights }: TrainerInit): Record<string, tf.Variable> {
  return tf.tidy(() => ({
    W_enc: tf.variable(tf.tensor2d(weights.W_enc, [cfg.d_in, cfg.d_sae])),
    W_dec: tf.variable(tf.tensor2d(weights.W_dec, [cfg.d_sae, cfg.d_in])),
    b_enc: tf.variable(tf.tensor1d(weights.b_enc)),
    b_dec: tf.variable(tf.tensor1d(weights.b_dec)),
  }));
}

export function disposeTrainerParams(params: Record<string, tf.Variable>): void {
  for (const v of Object.values(params)) v.dispose();
}
