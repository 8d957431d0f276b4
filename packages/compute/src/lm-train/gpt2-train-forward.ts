/**
 * GPT-2's forward pass written for training with tfjs autodiff on wasm: every product is a 2-D matMul whose
 * gradient avoids the transposed-operand slow path, attention and the embedding use the custom gradients of
 * train-ops.ts, and the (tied) unembedding is the explicit transpose of the token embedding.
 */
import * as tf from "@tensorflow/tfjs";
import { matMul } from "../train/matmul.js";
import type { BlockParams, Gpt2Params } from "./gpt2-params.js";
import { affine, causalAttention, crossEntropy, embeddingLookup, linear } from "./train-ops.js";

const LAYER_NORM_EPS = 1e-5;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function layerNorm(x: tf.Tensor2D, weight: tf.Variable, bias: tf.Variable): tf.Tensor2D {
  const centred = tf.sub(x, tf.mean(x, 1, true));
  const scaled = tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), 1, true), LAYER_NORM_EPS)));
  return affine(scaled as tf.Tensor2D, weight as tf.Tensor1D, bias as tf.Tensor1D);
}

function dense(x: tf.Tensor2D, weight: tf.Variable, bias: tf.Variable): tf.Tensor2D {
  return linear(x, weight as tf.Tensor2D, bias as tf.Tensor1D);
}

/** gelu_new: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) = x·sigmoid(2√(2/π)(x + 0.044715x³)). */
function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), 2 * SQRT_2_OVER_PI);
  return tf.mul(x, tf.sigmoid(inner));
}

/** [batch·seq, d] → [seq, batch·heads, headDim] (the layout causalAttention takes) */
function splitHeads(x: tf.Tensor2D, batch: number, seq: number, heads: number): tf.Tensor3D {
  const headDim = x.shape[1] / heads;
  return tf.transpose(tf.reshape(x, [batch, seq, heads * headDim]), [1, 0, 2]).reshape([seq, batch * heads, headDim]);
}

/** [seq, batch·heads, headDim] → [batch·seq, d] */
function joinHeads(x: tf.Tensor3D, batch: number, seq: number, heads: number): tf.Tensor2D {
  const d = heads * x.shape[2];
  return tf.transpose(tf.reshape(x, [seq, batch, d]), [1, 0, 2]).reshape([batch * seq, d]);
}

function block(b: BlockParams, x: tf.Tensor2D, batch: number, seq: number, heads: number, mask: tf.Tensor3D) {
  const h = layerNorm(x, b.ln1w, b.ln1b);
  const q = splitHeads(dense(h, b.wq, b.bq), batch, seq, heads);
  const k = splitHeads(dense(h, b.wk, b.bk), batch, seq, heads);
  const v = splitHeads(dense(h, b.wv, b.bv), batch, seq, heads);
  const attended = joinHeads(causalAttention(q, k, v, mask), batch, seq, heads);
  const mid = tf.add(x, dense(attended, b.wo, b.bo)) as tf.Tensor2D;
  const hidden = geluNew(dense(layerNorm(mid, b.ln2w, b.ln2b), b.wfc, b.bfc));
  return tf.add(mid, dense(hidden, b.wproj, b.bproj)) as tf.Tensor2D;
}

/**
 * Logits [batch·seq, vocab] for `ids` (int32, batch·seq flattened row by row). `mask` is causalMask(seq).
 * Call inside tf.tidy or a gradient function.
 */
export function gpt2Logits(
  params: Gpt2Params,
  ids: tf.Tensor1D,
  batch: number,
  seq: number,
  mask: tf.Tensor3D,
): tf.Tensor2D {
  const { shape } = params;
  if (seq > shape.context) throw new Error(`gpt2Logits: ${seq} positions exceed the context of ${shape.context}.`);
  const tokens = embeddingLookup(params.wte as tf.Tensor2D, ids).reshape([batch, seq, shape.dModel]);
  const positions = tf.slice(params.wpe, [0, 0], [seq, shape.dModel]);
  let x = tf.add(tokens, positions).reshape([batch * seq, shape.dModel]) as tf.Tensor2D;
  for (const b of params.blocks) x = block(b, x, batch, seq, shape.nHeads, mask);
  const final = layerNorm(x, params.lnfw, params.lnfb);
  return matMul(final, tf.transpose(params.wte as tf.Tensor2D));
}

/** Windows of `seq + 1` tokens as model inputs and next-token targets (int32 [batch·seq] each; caller disposes). */
export interface WindowBatch {
  inputs: tf.Tensor1D;
  targets: tf.Tensor1D;
  batch: number;
  seq: number;
}

/** Splits `tokens` [batch][seq + 1] (row-major) into inputs (positions 0…seq−1) and targets (1…seq). */
export function windowBatch(tokens: Int32Array, batch: number): WindowBatch {
  const width = tokens.length / batch;
  if (!Number.isInteger(width) || width < 2) {
    throw new Error(`windowBatch: ${tokens.length} tokens do not make ${batch} windows of at least 2 tokens.`);
  }
  const seq = width - 1;
  const inputs = new Int32Array(batch * seq);
  const targets = new Int32Array(batch * seq);
  for (let r = 0; r < batch; r++) {
    inputs.set(tokens.subarray(r * width, r * width + seq), r * seq);
    targets.set(tokens.subarray(r * width + 1, (r + 1) * width), r * seq);
  }
  return { inputs: tf.tensor1d(inputs, "int32"), targets: tf.tensor1d(targets, "int32"), batch, seq };
}

/**
 * Mean next-token cross-entropy of a window batch. The batch's tensors must outlive the gradient computation, so
 * they are made outside it (windowBatch) and disposed by the caller.
 */
export function windowLoss(params: Gpt2Params, windows: WindowBatch, mask: tf.Tensor3D): tf.Scalar {
  const logits = gpt2Logits(params, windows.inputs, windows.batch, windows.seq, mask);
  return crossEntropy(logits, windows.targets);
}
