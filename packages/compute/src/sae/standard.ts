/**
 * `standard` SAE (SAELens): f = ReLU((x − b_dec)·W_enc + b_enc), x̂ = f·W_dec + b_dec,
 * loss = mean over rows of ‖x̂ − x‖² + λ·Σᵢ fᵢ·‖W_dec[i]‖.
 * The backward pass is written by hand: tfjs-wasm's matMul with transposeA/B is ~50× slower than an explicit
 * transpose, and only the small [B, d_in] operands need transposing when the products are ordered as below.
 * Once the code is sparse (measured density ≤ SPARSE_MAX_DENSITY), every product after the encoder's touches only
 * the active entries (sparse-step.ts); both paths give the same gradients up to float rounding.
 */
import * as tf from "@tensorflow/tfjs";
import { denseProducts } from "../backend.js";
import type {
  ArchitectureTrainer,
  SaeArchitecture,
  SaeTensors,
  StepCoefficients,
  TrainerInit,
  TrainingStepResult,
} from "./architecture.js";
import { tiedInitWeights } from "./init.js";
import { resampleDeadLatents } from "./resample.js";
import { meanActive, positiveEntries, type SparseCode } from "./sparse-code.js";
import { addColumnSums } from "./sparse-products.js";
import { maxSparseEntries, SparseStep } from "./sparse-step.js";
import { createTrainerParams, disposeTrainerParams } from "./trainer-params.js";
import type { SaeConfig } from "./types.js";

export const STANDARD_ARCHITECTURE = "standard";

/**
 * Pre-activations (x − b_dec·apply_b_dec_to_input)·W_enc + b_enc with an optional fused activation. The product is
 * the one dense product of an SAE step that needs the whole code; it runs on the thread's engine (ONNX Runtime when
 * chosen, else one fused tfjs product).
 */
export function preActivations(x: tf.Tensor2D, w: SaeTensors, cfg: SaeConfig, activation?: "relu"): tf.Tensor2D {
  const dense = denseProducts();
  return tf.tidy(() => {
    const input = (cfg.apply_b_dec_to_input ? tf.sub(x, w.b_dec) : x) as tf.Tensor2D;
    if (dense.engine === "tfjs") {
      return tf.fused.matMul({ a: input, b: w.W_enc, bias: w.b_enc, activation: activation ?? "linear" });
    }
    const pre = tf.add(dense.product(input, w.W_enc), w.b_enc);
    return activation === "relu" ? tf.relu(pre) : pre;
  }) as tf.Tensor2D;
}

class StandardTrainer implements ArchitectureTrainer {
  readonly params: Record<string, tf.Variable>;

  constructor(private readonly init: TrainerInit) {
    this.params = createTrainerParams(init);
  }

  /** The path is chosen from this batch's code alone, so a resumed or data-parallel run chooses as a straight one. */
  step(x: tf.Tensor2D, { l1 }: StepCoefficients): TrainingStepResult {
    const { cfg, products = "auto" } = this.init;
    const f = preActivations(x, this.params as unknown as SaeTensors, cfg, "relu");
    try {
      if (products === "dense") return this.denseStep(x, f, l1);
      const rows = x.shape[0];
      const code = positiveEntries(
        f.dataSync() as Float32Array,
        rows,
        cfg.d_sae,
        maxSparseEntries(products, rows * cfg.d_sae),
      );
      return code ? this.sparseStep(x, code, l1) : this.denseStep(x, f, l1);
    } finally {
      f.dispose();
    }
  }

  private denseStep(x: tf.Tensor2D, f: tf.Tensor2D, l1: number): TrainingStepResult {
    return tf.tidy(() => {
      const { W_enc, W_dec, b_dec } = this.params as unknown as Record<string, tf.Tensor2D>;
      const batch = x.shape[0];
      const applyBDec = this.init.cfg.apply_b_dec_to_input;
      const xc = (applyBDec ? tf.sub(x, b_dec!) : x) as tf.Tensor2D;
      const xHat = tf.fused.matMul({ a: f, b: W_dec!, bias: b_dec });
      const err = tf.sub(xHat, x);
      const mse = tf.div(tf.sum(tf.square(err)), batch);
      const norms = tf.sqrt(tf.sum(tf.square(W_dec!), 1)); // [m]
      const ones = tf.ones([1, batch]) as tf.Tensor2D;
      const fSum = tf.matMul(ones, f).reshape([-1]); // [m]: column sums via a cheap product
      const sparsity = tf.mul(l1 / batch, tf.sum(tf.mul(fSum, norms)));
      const mask = tf.step(f);
      const firing = tf.matMul(ones, mask).reshape([-1]) as tf.Tensor1D;

      const g = tf.mul(err, 2 / batch) as tf.Tensor2D; // ∂loss/∂x̂
      const dWdecMse = tf.transpose(tf.matMul(tf.transpose(g), f)); // [m, d] = fᵀ·g
      const dWdecL1 = tf.mul(tf.div(W_dec!, norms.reshape([-1, 1])), tf.mul(fSum, l1 / batch).reshape([-1, 1]));
      const dWdec = tf.add(dWdecMse, dWdecL1);
      const dPre = tf.mul(
        tf.fused.matMul({ a: g, b: tf.transpose(W_dec!), bias: tf.mul(norms, l1 / batch) }),
        mask,
      ) as tf.Tensor2D;
      const dBenc = tf.matMul(ones, dPre); // [1, m]
      const dWenc = tf.matMul(tf.transpose(xc), dPre); // [d, m]
      let dBdec = tf.matMul(ones, g).reshape([-1]);
      if (applyBDec) dBdec = tf.sub(dBdec, tf.matMul(W_enc!, dBenc.reshape([-1, 1])).reshape([-1]));
      const l0 = tf.div(tf.sum(firing), batch);
      return {
        grads: { W_enc: dWenc, W_dec: dWdec, b_enc: dBenc.reshape([-1]), b_dec: dBdec },
        stats: tf.stack([mse, sparsity, l0]) as tf.Tensor1D,
        firing,
      };
    });
  }

  /** The same loss and gradients with every product after the encoder's over the active entries only. */
  private sparseStep(x: tf.Tensor2D, code: SparseCode, l1: number): TrainingStepResult {
    const p = this.params as unknown as SaeTensors;
    const batch = x.shape[0];
    const m = this.init.cfg.d_sae;
    const s = new SparseStep(x, p, this.init.cfg.apply_b_dec_to_input);
    const d = s.d;
    const { err: g, squares } = s.reconstructionError(code);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * (2 / batch);
    s.addOutputGradient(g);
    const norms = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      let sq = 0;
      for (let j = i * d; j < (i + 1) * d; j++) sq += s.W_dec[j]! * s.W_dec[j]!;
      norms[i] = Math.sqrt(sq);
    }
    const delta = s.codeGradient(code, g);
    for (let e = 0; e < delta.length; e++) delta[e] = delta[e]! + (l1 / batch) * norms[code.cols[e]!]!;
    s.addDecoderGradient(code, g);
    const fSum = new Float32Array(m);
    addColumnSums(code, code.vals, fSum);
    let sparsity = 0;
    for (let i = 0; i < m; i++) {
      if (fSum[i] === 0) continue;
      sparsity += fSum[i]! * norms[i]!;
      const scale = (fSum[i]! * (l1 / batch)) / norms[i]!;
      for (let j = i * d; j < (i + 1) * d; j++) s.dWdec[j] = s.dWdec[j]! + scale * s.W_dec[j]!;
    }
    s.addPreActivationGradient(code, delta);
    const firing = new Float32Array(m);
    addColumnSums(code, null, firing);
    return {
      grads: s.gradients(p.W_enc),
      stats: tf.tensor1d([squares / batch, (l1 / batch) * sparsity, meanActive(code)]),
      firing: tf.tensor1d(firing),
    };
  }

  dispose(): void {
    disposeTrainerParams(this.params);
  }
}

export const standardArchitecture: SaeArchitecture = {
  architecture: STANDARD_ARCHITECTURE,
  extraWeights: [],
  requiredConfig: [],
  encode: (x, w, cfg) => preActivations(x, w, cfg, "relu"),
  training: {
    config: () => ({}),
    initWeights: tiedInitWeights,
    createTrainer: (init) => new StandardTrainer(init),
    usesDeadMask: false,
    resampleDead: resampleDeadLatents,
  },
};
