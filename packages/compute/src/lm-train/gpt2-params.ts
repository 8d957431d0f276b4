/**
 * The trainable parameters of a GPT-2 model as tfjs variables, seeded initialisation as GPT-2 does it
 * (N(0, 0.02), residual output projections scaled by 1/√(2·layers), LayerNorm 1 and 0), and their Hugging Face
 * safetensors names and layout (Conv1D [in, out]; query, key and value joined into `c_attn`).
 */
import * as tf from "@tensorflow/tfjs";
import type { TensorToWrite } from "../io/safetensors.js";
import { seededRandom } from "../lm/sampling.js";
import type { Gpt2Shape } from "./demo-config.js";

export interface BlockParams {
  ln1w: tf.Variable;
  ln1b: tf.Variable;
  wq: tf.Variable;
  bq: tf.Variable;
  wk: tf.Variable;
  bk: tf.Variable;
  wv: tf.Variable;
  bv: tf.Variable;
  wo: tf.Variable;
  bo: tf.Variable;
  ln2w: tf.Variable;
  ln2b: tf.Variable;
  wfc: tf.Variable;
  bfc: tf.Variable;
  wproj: tf.Variable;
  bproj: tf.Variable;
}

export interface Gpt2Params {
  shape: Gpt2Shape;
  /** [vocab, d], also the (tied) unembedding. */
  wte: tf.Variable;
  /** [context, d] */
  wpe: tf.Variable;
  blocks: BlockParams[];
  lnfw: tf.Variable;
  lnfb: tf.Variable;
}

function normalValues(count: number, std: number, random: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * std;
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** Fresh parameters; the same seed gives the same values. */
export function initGpt2Params(shape: Gpt2Shape, seed: number): Gpt2Params {
  const random = seededRandom(seed);
  const d = shape.dModel;
  const residualStd = 0.02 / Math.sqrt(2 * shape.nLayers);
  // tidy disposes the initial values; the variables survive it.
  const normal = (dims: number[], std = 0.02) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(
          normalValues(
            dims.reduce((a, b) => a * b, 1),
            std,
            random,
          ),
          dims,
        ),
      ),
    );
  const filled = (size: number, value: number) => tf.tidy(() => tf.variable(tf.fill([size], value)));
  return {
    shape,
    wte: normal([shape.vocabSize, d]),
    wpe: normal([shape.context, d], 0.01),
    blocks: Array.from({ length: shape.nLayers }, () => ({
      ln1w: filled(d, 1),
      ln1b: filled(d, 0),
      wq: normal([d, d]),
      bq: filled(d, 0),
      wk: normal([d, d]),
      bk: filled(d, 0),
      wv: normal([d, d]),
      bv: filled(d, 0),
      wo: normal([d, d], residualStd),
      bo: filled(d, 0),
      ln2w: filled(d, 1),
      ln2b: filled(d, 0),
      wfc: normal([d, 4 * d]),
      bfc: filled(4 * d, 0),
      wproj: normal([4 * d, d], residualStd),
      bproj: filled(d, 0),
    })),
    lnfw: filled(d, 1),
    lnfb: filled(d, 0),
  };
}

/** Every parameter under a stable name (`wte`, `h.0.wq`, …), for the optimiser. */
export function namedParams(params: Gpt2Params): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = { wte: params.wte, wpe: params.wpe, lnfw: params.lnfw, lnfb: params.lnfb };
  params.blocks.forEach((block, l) => {
    for (const [key, value] of Object.entries(block)) out[`h.${l}.${key}`] = value;
  });
  return out;
}

/** Names of the parameters AdamW decays: the matrices, not biases or LayerNorm gains. */
export function decayedNames(params: Gpt2Params): string[] {
  return Object.entries(namedParams(params))
    .filter(([, v]) => v.rank === 2)
    .map(([name]) => name);
}

export function disposeParams(params: Gpt2Params): void {
  tf.dispose(Object.values(namedParams(params)));
}

function host(t: tf.Tensor): TensorToWrite {
  return { shape: t.shape, data: t.dataSync() as Float32Array };
}

/** Host copy of the column-wise (matrices) or end-to-end (vectors) join of query, key and value. */
function joined(parts: tf.Tensor[]): TensorToWrite {
  const t = tf.concat(parts, parts[0]!.rank - 1);
  try {
    return host(t);
  } finally {
    t.dispose();
  }
}

/** The parameters under GPT2LMHeadModel's safetensors names (tied head: no `lm_head.weight`). */
export function huggingFaceTensors(params: Gpt2Params): Record<string, TensorToWrite> {
  const p = "transformer";
  const out: Record<string, TensorToWrite> = {
    [`${p}.wte.weight`]: host(params.wte),
    [`${p}.wpe.weight`]: host(params.wpe),
  };
  params.blocks.forEach((b, l) => {
    const h = `${p}.h.${l}`;
    out[`${h}.ln_1.weight`] = host(b.ln1w);
    out[`${h}.ln_1.bias`] = host(b.ln1b);
    out[`${h}.attn.c_attn.weight`] = joined([b.wq, b.wk, b.wv]);
    out[`${h}.attn.c_attn.bias`] = joined([b.bq, b.bk, b.bv]);
    out[`${h}.attn.c_proj.weight`] = host(b.wo);
    out[`${h}.attn.c_proj.bias`] = host(b.bo);
    out[`${h}.ln_2.weight`] = host(b.ln2w);
    out[`${h}.ln_2.bias`] = host(b.ln2b);
    out[`${h}.mlp.c_fc.weight`] = host(b.wfc);
    out[`${h}.mlp.c_fc.bias`] = host(b.bfc);
    out[`${h}.mlp.c_proj.weight`] = host(b.wproj);
    out[`${h}.mlp.c_proj.bias`] = host(b.bproj);
  });
  out[`${p}.ln_f.weight`] = host(params.lnfw);
  out[`${p}.ln_f.bias`] = host(params.lnfb);
  return out;
}
