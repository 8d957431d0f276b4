/**
 * `topk` SAE (SAELens / Gao et al. 2024): f keeps the k largest pre-activations of each row (ReLU'd), x̂ = f·W_dec +
 * b_dec; loss = ‖x̂ − x‖² + aux-k: the k_aux = d_in/2 largest pre-activations among dead latents reconstruct the
 * detached error e = x − x̂, weighted by auxCoefficient·min(dead/k_aux, 1). Decoder rows are kept at unit norm.
 * Backward pass by hand, as for the standard SAE; every product after the encoder's runs over the k (and k_aux)
 * selected entries per row (sparse-step.ts) unless dense products are asked for.
 */
import * as tf from "@tensorflow/tfjs";
import type {
  ArchitectureTrainer,
  SaeArchitecture,
  SaeTensors,
  StepCoefficients,
  TrainerInit,
  TrainingStepResult,
} from "./architecture.js";
import { tiedInitWeights } from "./init.js";
import { meanActive, topEntries } from "./sparse-code.js";
import { addColumnSums } from "./sparse-products.js";
import { SparseStep, useSparse } from "./sparse-step.js";
import { preActivations } from "./standard.js";
import { createTrainerParams, disposeTrainerParams } from "./trainer-params.js";
import type { SaeConfig } from "./types.js";

export const TOPK_ARCHITECTURE = "topk";
/** Active latents per row when training does not set k. */
export const DEFAULT_K = 32;
/** SAELens default weight of the aux-k loss. */
export const AUX_COEFFICIENT = 1 / 32;

/**
 * 1 at each row's `k` largest entries of `values` (tf.topk: larger value first, ties to the lower latent index — the
 * rule sparse-code.ts's topEntries follows), else 0.
 */
function selectionMask(values: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, m] = values.shape;
    if (k >= m) return tf.onesLike(values);
    const { indices } = tf.topk(values, k);
    const rowIndex = tf.tile(tf.range(0, rows, 1, "int32").reshape([-1, 1]), [1, k]);
    const at = tf.stack([rowIndex, indices], 2).reshape([rows * k, 2]);
    return tf.scatterND(at, tf.ones([rows * k]), [rows, m]) as tf.Tensor2D;
  });
}

/** 1 where pre is among the row's k largest (selection rule above) and positive, else 0. */
function topkMask(pre: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(selectionMask(pre, k), tf.step(pre)) as tf.Tensor2D);
}

function kOf(cfg: SaeConfig): number {
  const k = cfg.k;
  if (k === undefined || !Number.isInteger(k) || k <= 0 || k > cfg.d_sae) {
    throw new Error(`topk SAE needs an integer k in 1..d_sae (${cfg.d_sae}), got ${k}; set k in cfg.json.`);
  }
  return k;
}

export function topkEncode(x: tf.Tensor2D, w: SaeTensors, cfg: SaeConfig): tf.Tensor2D {
  return tf.tidy(() => {
    const pre = preActivations(x, w, cfg);
    return tf.mul(pre, topkMask(pre, kOf(cfg))) as tf.Tensor2D;
  });
}

/** The aux-k loss's share of latents: k_aux = d_in / 2 among `deadCount` dead ones, weighted by min(dead/k_aux, 1). */
function auxOf(cfg: SaeConfig, deadCount: number): { take: number; weight: number } {
  const kAux = Math.max(1, Math.floor(cfg.d_in / 2));
  return { take: Math.min(kAux, deadCount), weight: AUX_COEFFICIENT * Math.min(deadCount / kAux, 1) };
}

class TopkTrainer implements ArchitectureTrainer {
  readonly params: Record<string, tf.Variable>;

  constructor(private readonly init: TrainerInit) {
    this.params = createTrainerParams(init);
  }

  step(x: tf.Tensor2D, coefficients: StepCoefficients): TrainingStepResult {
    const { cfg } = this.init;
    return useSparse(this.init.products ?? "auto", kOf(cfg) / cfg.d_sae)
      ? this.sparseStep(x, coefficients)
      : this.denseStep(x, coefficients);
  }

  private denseStep(x: tf.Tensor2D, { deadMask, deadCount }: StepCoefficients): TrainingStepResult {
    return tf.tidy(() => {
      const { W_enc, W_dec, b_dec } = this.params as unknown as Record<string, tf.Tensor2D>;
      const cfg = this.init.cfg;
      const batch = x.shape[0];
      const xc = (cfg.apply_b_dec_to_input ? tf.sub(x, b_dec!) : x) as tf.Tensor2D;
      const pre = preActivations(x, this.params as unknown as SaeTensors, cfg);
      const mask = topkMask(pre as tf.Tensor2D, kOf(cfg));
      const f = tf.mul(pre, mask) as tf.Tensor2D;
      const xHat = tf.fused.matMul({ a: f, b: W_dec!, bias: b_dec });
      const err = tf.sub(xHat, x);
      const mse = tf.div(tf.sum(tf.square(err)), batch);
      const ones = tf.ones([1, batch]) as tf.Tensor2D;
      const firing = tf.matMul(ones, mask).reshape([-1]) as tf.Tensor1D;
      const wDecT = tf.transpose(W_dec!);

      const g = tf.mul(err, 2 / batch) as tf.Tensor2D;
      let dWdecT = tf.matMul(tf.transpose(g), f); // [d, m]
      let dPre = tf.mul(tf.matMul(g, wDecT), mask) as tf.Tensor2D;
      let aux: tf.Tensor = tf.scalar(0);
      if (deadMask && deadCount && deadCount > 0) {
        const { take, weight } = auxOf(cfg, deadCount);
        // Live latents are pushed to −1e30 so the top-k_aux are taken among dead ones only.
        const deadPre = tf.add(pre, tf.mul(tf.sub(deadMask, 1), 1e30)) as tf.Tensor2D;
        const auxMask = tf.mul(selectionMask(deadPre, take), deadMask);
        const auxActs = tf.mul(pre, auxMask) as tf.Tensor2D;
        const auxErr = tf.add(tf.matMul(auxActs, W_dec!), err); // ê − e with e = x − x̂ (detached)
        aux = tf.mul(weight / batch, tf.sum(tf.square(auxErr)));
        const gAux = tf.mul(auxErr, (2 * weight) / batch) as tf.Tensor2D;
        dWdecT = tf.add(dWdecT, tf.matMul(tf.transpose(gAux), auxActs));
        dPre = tf.add(dPre, tf.mul(tf.matMul(gAux, wDecT), auxMask)) as tf.Tensor2D;
      }
      const dBenc = tf.matMul(ones, dPre);
      const dWenc = tf.matMul(tf.transpose(xc), dPre);
      let dBdec = tf.matMul(ones, g).reshape([-1]);
      if (cfg.apply_b_dec_to_input) dBdec = tf.sub(dBdec, tf.matMul(W_enc!, dBenc.reshape([-1, 1])).reshape([-1]));
      // Remove the gradient component parallel to each unit-norm decoder row (it only changes the norm).
      const dWdec = tf.transpose(dWdecT);
      const parallel = tf.sum(tf.mul(dWdec, W_dec!), 1, true);
      const dWdecTangent = tf.sub(dWdec, tf.mul(parallel, W_dec!));
      return {
        grads: { W_enc: dWenc, W_dec: dWdecTangent, b_enc: dBenc.reshape([-1]), b_dec: dBdec },
        stats: tf.stack([mse, aux, tf.div(tf.sum(firing), batch)]) as tf.Tensor1D,
        firing,
      };
    });
  }

  /** The same loss and gradients with every product after the encoder's over the selected entries only. */
  private sparseStep(x: tf.Tensor2D, { deadMask, deadCount }: StepCoefficients): TrainingStepResult {
    const { cfg } = this.init;
    const p = this.params as unknown as SaeTensors;
    const batch = x.shape[0];
    const m = cfg.d_sae;
    const preTensor = preActivations(x, p, cfg);
    const pre = preTensor.dataSync() as Float32Array;
    preTensor.dispose();
    const code = topEntries(pre, batch, m, kOf(cfg), { positiveOnly: true });
    const s = new SparseStep(x, p, cfg.apply_b_dec_to_input);
    const d = s.d;
    const { err, squares } = s.reconstructionError(code);
    const g = s.rowsArray();
    for (let i = 0; i < g.length; i++) g[i] = err[i]! * (2 / batch);
    s.addOutputGradient(g);
    s.addDecoderGradient(code, g);
    s.addPreActivationGradient(code, s.codeGradient(code, g));
    let aux = 0;
    if (deadMask && deadCount && deadCount > 0) {
      const { take, weight } = auxOf(cfg, deadCount);
      const dead = deadMask.dataSync();
      const candidates = new Int32Array(deadCount);
      let n = 0;
      for (let i = 0; i < m && n < deadCount; i++) if (dead[i] === 1) candidates[n++] = i;
      const auxCode = topEntries(pre, batch, m, take, { candidates, positiveOnly: false });
      const gAux = s.decode(auxCode); // ê − e with e = x − x̂ (detached)
      let auxSquares = 0;
      for (let i = 0; i < gAux.length; i++) {
        const e = gAux[i]! + err[i]!;
        auxSquares += e * e;
        gAux[i] = e * ((2 * weight) / batch);
      }
      aux = (weight / batch) * auxSquares;
      s.addDecoderGradient(auxCode, gAux);
      s.addPreActivationGradient(auxCode, s.codeGradient(auxCode, gAux));
    }
    // Remove the gradient component parallel to each unit-norm decoder row (it only changes the norm).
    for (let i = 0; i < m; i++) {
      let parallel = 0;
      for (let j = i * d; j < (i + 1) * d; j++) parallel += s.dWdec[j]! * s.W_dec[j]!;
      for (let j = i * d; j < (i + 1) * d; j++) s.dWdec[j] = s.dWdec[j]! - parallel * s.W_dec[j]!;
    }
    const firing = new Float32Array(m);
    addColumnSums(code, null, firing);
    return {
      grads: s.gradients(p.W_enc),
      stats: tf.tensor1d([squares / batch, aux, meanActive(code)]),
      firing: tf.tensor1d(firing),
    };
  }

  afterUpdate(): void {
    tf.tidy(() => {
      const w = this.params["W_dec"]!;
      w.assign(tf.div(w, tf.add(tf.norm(w, 2, 1, true), 1e-12)));
    });
  }

  dispose(): void {
    disposeTrainerParams(this.params);
  }
}

export const topkArchitecture: SaeArchitecture = {
  architecture: TOPK_ARCHITECTURE,
  extraWeights: [],
  requiredConfig: ["k"],
  encode: topkEncode,
  training: {
    config: ({ k }) => ({ k: k ?? DEFAULT_K }),
    initWeights: (cfg, rng) => tiedInitWeights(cfg, rng, { decoderInitNorm: 1 }),
    createTrainer: (init) => new TopkTrainer(init),
    usesDeadMask: true,
  },
};
