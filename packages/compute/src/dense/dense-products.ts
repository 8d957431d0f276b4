/**
 * The dense products of a transformer's forward pass — its linear layers and the attention core — behind one
 * interface, so that they can run on the fastest engine installed while tfjs stays the tensor runtime for everything
 * else (embeddings, norms, activations, hooks). Every implementation takes and returns tfjs tensors.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Activation } from "../lm/config.js";

/** A transformer MLP's weights: act(x·in + inBias) [⊙ (x·gate + gateBias)] · out + outBias. */
export interface MlpWeights {
  in: tf.Tensor2D;
  inBias: tf.Tensor1D | null;
  gate: tf.Tensor2D | null;
  gateBias: tf.Tensor1D | null;
  out: tf.Tensor2D;
  outBias: tf.Tensor1D | null;
}

export interface DenseProducts {
  /** The engine that runs the products: "tfjs" (the current tfjs backend) or "onnxruntime". */
  readonly engine: "tfjs" | "onnxruntime";
  /** x [rows, in] · weight [in, out] (+ bias [out]). */
  linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D;
  /** a [rows, inner] · b [inner, out], both read at each call (e.g. an SAE encoder's weight while it trains). */
  product(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
  /**
   * softmax(q·kᵀ/√headDim + mask)·v for q [batch, seq, heads, headDim], k and v [batch, keys, heads, headDim] and the
   * additive mask [seq, 1, 1, keys]; returns the context [batch·seq, heads·headDim].
   */
  attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor2D;
  /** The whole MLP of a block for x [rows, dModel] (its wide hidden activation is no hook point). */
  mlp(x: tf.Tensor2D, weights: MlpWeights, activation: Activation): tf.Tensor2D;
  /** Frees what the engine holds for these weights (a model being disposed). */
  release(weights: readonly tf.Tensor[]): void;
}
