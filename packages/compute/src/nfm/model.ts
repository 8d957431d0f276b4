/**
 * Models of the SAE residual r, all of one form: ŷ = b + linear(input) + head(BI(f)) + mlp(f), each part optional.
 * The NFM (He & Chua 2017) is linear(f) + head(BI(f)); the controls of the study switch parts on and off:
 *
 *   full                  linear f + interaction        interaction-only   interaction
 *   linear-only           linear f                      linear_x           linear x
 *   mlp_matched           linear f + MLP on f (the MLP with the interaction path's parameter count)
 *
 * Inputs are scaled by constants fixed before training (f so its mean squared active value is 1, x and r to mean
 * norm √d); predictions are returned in r's original units.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import type { SparseCode } from "../sae/sparse-code.js";
import { createRng, normalArray, type Rng } from "../stats/rng.js";
import { addBias, matMul, matMulConstA } from "../train/matmul.js";
import { biInteraction } from "./bi-pooling.js";
import { scaleCodes, sparseCodes, sparseMatMul } from "./sparse-product.js";

/** Codes as the model's parts take them: sparse (data) or a dense tensor (when gradients must reach f). */
export type CodeInput = tf.Tensor2D | SparseCode;
/** Raw host codes: sparse rows or dense rows [rows·d_sae]. */
export type HostCodes = SparseCode | Float32Array;

export interface InteractionConfig {
  /** Embedding size K of V [d_sae, K]. */
  k: number;
  /** Widths of the hidden ReLU layers of the head on BI(f) (default [K]; [] = a linear head). */
  hidden?: number[];
  /** Dropout rate on BI(f) and hidden layers while training (default 0). */
  dropout?: number;
  /** Batch normalisation of BI(f) (default false). */
  batchNorm?: boolean;
}

export interface ResidualModelConfig {
  dSae: number;
  dIn: number;
  /** Linear term from f, from x, or none. */
  linear: "f" | "x" | null;
  interaction: InteractionConfig | null;
  /** Hidden widths of a plain ReLU MLP on f (controls), or null. */
  mlp: number[] | null;
}

export interface InputScales {
  f: number;
  x: number;
  r: number;
}

export interface ResidualModelParts {
  linear: tf.Tensor2D | null;
  interaction: tf.Tensor2D | null;
  mlp: tf.Tensor2D | null;
}

type Params = Record<string, tf.Variable>;

const BN_EPSILON = 1e-5;
const BN_MOMENTUM = 0.9;

function heInit(rows: number, cols: number, rng: Rng, gain = 2): tf.Tensor2D {
  return tf.tensor2d(normalArray(rows * cols, rng, Math.sqrt(gain / rows)), [rows, cols]);
}

/** Parameters of the interaction path (V and its head) for a config. */
export function interactionParameterCount(dSae: number, dIn: number, c: InteractionConfig): number {
  const widths = [c.k, ...(c.hidden ?? [c.k]), dIn];
  let count = dSae * c.k + (c.batchNorm ? 2 * c.k : 0);
  for (let i = 0; i + 1 < widths.length; i++) count += widths[i]! * widths[i + 1]! + widths[i + 1]!;
  return count;
}

/** One hidden width H for an MLP f → H → d_in with (about) `parameters` parameters. */
export function matchedMlpWidth(dSae: number, dIn: number, parameters: number): number {
  return Math.max(1, Math.round((parameters - dIn) / (dSae + 1 + dIn)));
}

/** A model's configuration, input scales and tensors (exportTensors): all that is needed to rebuild it. */
export interface ResidualModelState {
  config: ResidualModelConfig;
  scales: InputScales;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

export class ResidualModel {
  readonly params: Params;
  private readonly running: { mean: tf.Variable; variance: tf.Variable } | null;
  private batchStats: { mean: tf.Tensor; variance: tf.Tensor } | null = null;

  constructor(
    readonly config: ResidualModelConfig,
    readonly scales: InputScales,
    rng: Rng,
    vInitStd = 0.1,
  ) {
    const { dSae, dIn } = config;
    this.params = tf.tidy(() => {
      const p: Params = { bias: tf.variable(tf.zeros([dIn])) };
      if (config.linear) p["W"] = tf.variable(tf.zeros([config.linear === "f" ? dSae : dIn, dIn]));
      const c = config.interaction;
      if (c) {
        p["V"] = tf.variable(tf.tensor2d(normalArray(dSae * c.k, rng, vInitStd), [dSae, c.k]));
        if (c.batchNorm) {
          p["bn_gamma"] = tf.variable(tf.ones([c.k]));
          p["bn_beta"] = tf.variable(tf.zeros([c.k]));
        }
        const widths = [c.k, ...(c.hidden ?? [c.k]), dIn];
        for (let i = 0; i + 1 < widths.length; i++) {
          const last = i + 2 === widths.length;
          p[`head${i}_W`] = tf.variable(heInit(widths[i]!, widths[i + 1]!, rng, last ? 0.1 : 2));
          p[`head${i}_b`] = tf.variable(tf.zeros([widths[i + 1]!]));
        }
      }
      if (config.mlp) {
        const widths = [dSae, ...config.mlp, dIn];
        for (let i = 0; i + 1 < widths.length; i++) {
          const last = i + 2 === widths.length;
          p[`mlp${i}_W`] = tf.variable(heInit(widths[i]!, widths[i + 1]!, rng, last ? 0.1 : 2));
          p[`mlp${i}_b`] = tf.variable(tf.zeros([widths[i + 1]!]));
        }
      }
      return p;
    });
    this.running = config.interaction?.batchNorm
      ? tf.tidy(() => ({
          mean: tf.variable(tf.zeros([config.interaction!.k]), false),
          variance: tf.variable(tf.ones([config.interaction!.k]), false),
        }))
      : null;
  }

  /** A model with the given state's weights (a checkpoint's, a worker's or a copy's); caller disposes. */
  static fromState(state: ResidualModelState): ResidualModel {
    const model = new ResidualModel(state.config, state.scales, createRng(0));
    try {
      model.importTensors(state.tensors);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }

  /**
   * Sets the linear part and bias to an affine fit of r on the linear input (raw units: r ≈ input·weights +
   * intercept, weights [p · d_in]) and zeroes the output layers of the interaction path and the MLP, so the model
   * predicts exactly the fit until it trains.
   */
  startAtAffine(weights: Float64Array, intercept: Float64Array): void {
    const c = this.config;
    if (!c.linear) throw new Error("this model has no linear part to start at an affine fit.");
    const p = c.linear === "f" ? c.dSae : c.dIn;
    if (weights.length !== p * c.dIn || intercept.length !== c.dIn) {
      throw new Error(
        `the affine fit has ${weights.length} weights and ${intercept.length} intercepts; this model's linear part needs ${p}·${c.dIn} and ${c.dIn}.`,
      );
    }
    const inputScale = c.linear === "f" ? this.scales.f : this.scales.x;
    const w = Float32Array.from(weights, (v) => (v * this.scales.r) / inputScale);
    const b = Float32Array.from(intercept, (v) => v * this.scales.r);
    tf.tidy(() => {
      this.params["W"]!.assign(tf.tensor2d(w, [p, c.dIn]));
      this.params["bias"]!.assign(tf.tensor1d(b));
      const outputs = [
        c.interaction ? `head${(c.interaction.hidden ?? [c.interaction.k]).length}_W` : null,
        c.mlp ? `mlp${c.mlp.length}_W` : null,
      ];
      for (const name of outputs) if (name) this.params[name]!.assign(tf.zerosLike(this.params[name]!));
    });
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.size, 0);
  }

  /** BI(f) pooled vector for scaled f [B, d_sae] (after batch norm when configured). */
  private pooled(f: CodeInput, training: boolean, options: { inputGradients?: boolean } = {}): tf.Tensor2D {
    return this.normalizePooled(biInteraction(f, this.params["V"] as tf.Variable<tf.Rank.R2>, options), training);
  }

  private normalizePooled(bi: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (this.running) {
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (training) {
        ({ mean, variance } = tf.moments(bi, 0));
        this.batchStats = { mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()) };
      } else {
        mean = this.running.mean;
        variance = this.running.variance;
      }
      bi = tf.add(
        tf.mul(tf.div(tf.sub(bi, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), this.params["bn_gamma"]!),
        this.params["bn_beta"]!,
      ) as tf.Tensor2D;
    }
    return bi;
  }

  private dense(input: tf.Tensor2D, prefix: string, layers: number, dropout: number, seed: number | null) {
    let h = input;
    for (let i = 0; i < layers; i++) {
      h = addBias(
        matMul(h, this.params[`${prefix}${i}_W`] as tf.Variable<tf.Rank.R2>),
        this.params[`${prefix}${i}_b`] as tf.Variable<tf.Rank.R1>,
      );
      if (i + 1 < layers) {
        h = tf.relu(h);
        if (dropout > 0 && seed !== null) h = tf.dropout(h, dropout, undefined, seed + i + 1) as tf.Tensor2D;
      }
    }
    return h;
  }

  /**
   * The parts of ŷ in the scaled space for scaled inputs. `dropoutSeed` non-null means training mode (dropout on,
   * batch statistics). Returns tensors the caller disposes (inside a tidy). With `inputGradients`, the linear term
   * on f, BI pooling and the MLP's first layer also pass gradients to f (joint training with the SAE).
   */
  parts(
    f: CodeInput,
    x: tf.Tensor2D | null,
    dropoutSeed: number | null,
    options: { inputGradients?: boolean } = {},
  ): ResidualModelParts {
    const c = this.config;
    const dense = options.inputGradients ? matMul : matMulConstA;
    const onF = (codes: CodeInput, w: tf.Tensor2D) =>
      codes instanceof tf.Tensor ? dense(codes, w) : sparseMatMul(codes, w);
    let linear: tf.Tensor2D | null = null;
    if (c.linear) {
      const w = this.params["W"] as tf.Variable<tf.Rank.R2>;
      if (c.linear === "f") linear = onF(f, w);
      else if (x) linear = matMulConstA(x, w);
      else throw new Error("this model has a linear term on x; pass x to predict.");
    }
    let interaction: tf.Tensor2D | null = null;
    if (c.interaction) {
      const dropout = dropoutSeed === null ? 0 : (c.interaction.dropout ?? 0);
      let pooled = this.pooled(f, dropoutSeed !== null, options);
      if (dropout > 0) pooled = tf.dropout(pooled, dropout, undefined, dropoutSeed!) as tf.Tensor2D;
      const layers = (c.interaction.hidden ?? [c.interaction.k]).length + 1;
      interaction = this.dense(pooled, "head", layers, dropout, dropoutSeed);
    }
    let mlp: tf.Tensor2D | null = null;
    if (c.mlp) {
      const first = addBias(
        onF(f, this.params["mlp0_W"] as tf.Variable<tf.Rank.R2>),
        this.params["mlp0_b"] as tf.Variable<tf.Rank.R1>,
      );
      const layers = c.mlp.length + 1;
      mlp = layers === 1 ? first : this.denseFrom(tf.relu(first) as tf.Tensor2D, "mlp", 1, layers);
    }
    return { linear, interaction, mlp };
  }

  /**
   * The interaction path's output (scaled space, inference mode) for a given pooled vector BI [B, K]; used to
   * measure the exact effect of removing one pair's term from BI.
   */
  interactionFromPooled(bi: tf.Tensor2D): tf.Tensor2D {
    const c = this.config.interaction;
    if (!c) throw new Error("this model has no interaction path; use the full or interaction-only variant.");
    return tf.tidy(() => this.dense(this.normalizePooled(bi, false), "head", (c.hidden ?? [c.k]).length + 1, 0, null));
  }

  private denseFrom(h: tf.Tensor2D, prefix: string, from: number, layers: number): tf.Tensor2D {
    for (let i = from; i < layers; i++) {
      h = addBias(
        matMul(h, this.params[`${prefix}${i}_W`] as tf.Variable<tf.Rank.R2>),
        this.params[`${prefix}${i}_b`] as tf.Variable<tf.Rank.R1>,
      );
      if (i + 1 < layers) h = tf.relu(h);
    }
    return h;
  }

  /** ŷ in the scaled space (`inputGradients`: see parts). */
  forward(
    f: CodeInput,
    x: tf.Tensor2D | null,
    dropoutSeed: number | null,
    options: { inputGradients?: boolean } = {},
  ): tf.Tensor2D {
    const { linear, interaction, mlp } = this.parts(f, x, dropoutSeed, options);
    const rows = f instanceof tf.Tensor ? f.shape[0] : f.rows;
    const present = [linear, interaction, mlp].filter((part): part is tf.Tensor2D => part !== null);
    const sum = present.reduce<tf.Tensor2D | null>((y, part) => (y ? (tf.add(y, part) as tf.Tensor2D) : part), null);
    return addBias(sum ?? tf.zeros([rows, this.config.dIn]), this.params["bias"] as tf.Variable<tf.Rank.R1>);
  }

  /** Moves the batch-norm running statistics toward the last training batch's. */
  updateRunningStats(): void {
    if (!this.running || !this.batchStats) return;
    const { mean, variance } = this.batchStats;
    tf.tidy(() => {
      this.running!.mean.assign(tf.add(tf.mul(this.running!.mean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
      this.running!.variance.assign(
        tf.add(tf.mul(this.running!.variance, BN_MOMENTUM), tf.mul(variance, 1 - BN_MOMENTUM)),
      );
    });
    tf.dispose([mean, variance]);
    this.batchStats = null;
  }

  /** Scaled inputs from raw host batches: f as sparse codes, x as a tensor. */
  scaledInputs(f: HostCodes, x: Float32Array | null, rows: number): { f: SparseCode; x: tf.Tensor2D | null } {
    const codes = f instanceof Float32Array ? sparseCodes(f, rows, this.config.dSae) : f;
    if (codes.rows !== rows || codes.width !== this.config.dSae) {
      throw new Error(
        `the codes are ${codes.rows} rows of ${codes.width} features; this model needs ${rows} rows of ${this.config.dSae}.`,
      );
    }
    const scaledX = x
      ? tf.tidy(() => tf.mul(tf.tensor2d(x, [rows, this.config.dIn]), this.scales.x) as tf.Tensor2D)
      : null;
    return { f: scaleCodes(codes, this.scales.f), x: scaledX };
  }

  /** ŷ [rows·dIn] in r's units for raw host batches (inference mode). */
  predict(f: HostCodes, x: Float32Array | null, rows: number): Float32Array {
    const y = tf.tidy(() => {
      const inputs = this.scaledInputs(f, x, rows);
      return tf.div(this.forward(inputs.f, inputs.x, null), this.scales.r);
    });
    const out = y.dataSync() as Float32Array;
    y.dispose();
    return out;
  }

  /** The linear, interaction and MLP parts of ŷ in r's units (inference mode); absent parts are null. */
  predictParts(f: HostCodes, x: Float32Array | null, rows: number) {
    const result: Record<"linear" | "interaction" | "mlp", Float32Array | null> = {
      linear: null,
      interaction: null,
      mlp: null,
    };
    tf.tidy(() => {
      const inputs = this.scaledInputs(f, x, rows);
      const p = this.parts(inputs.f, inputs.x, null);
      for (const key of ["linear", "interaction", "mlp"] as const) {
        const t = p[key];
        if (t) result[key] = tf.div(t, this.scales.r).dataSync() as Float32Array;
      }
    });
    return result;
  }

  /**
   * BI(f) [rows·K] of raw codes f [rows·d_sae] (scaled by this model's f scale, before batch norm): dimension k of the
   * interaction embedding on each row. The interaction path's output is interactionFromPooled of it.
   */
  pooledValues(f: HostCodes, rows: number): Float32Array {
    const v = this.params["V"];
    if (!v || !this.config.interaction) {
      throw new Error("this model has no interaction path; use the full or interaction-only variant.");
    }
    const { f: scaled } = this.scaledInputs(f, null, rows);
    return tidyValues(() => biInteraction(scaled, v as tf.Variable<tf.Rank.R2>));
  }

  /** V [d_sae·K] (null without an interaction path), in the scaled space of f. */
  embedding(): Float32Array | null {
    return (this.params["V"]?.dataSync() as Float32Array | undefined) ?? null;
  }

  /** Parameters (`param.<name>`) and batch-norm running statistics as host tensors, for checkpoints. */
  exportTensors(): Record<string, { shape: number[]; data: Float32Array }> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, p] of Object.entries(this.params)) {
      out[`param.${name}`] = { shape: [...p.shape], data: p.dataSync() as Float32Array };
    }
    if (this.running) {
      out["bn_running_mean"] = {
        shape: [...this.running.mean.shape],
        data: this.running.mean.dataSync() as Float32Array,
      };
      out["bn_running_variance"] = {
        shape: [...this.running.variance.shape],
        data: this.running.variance.dataSync() as Float32Array,
      };
    }
    return out;
  }

  /** Restores what exportTensors wrote; names the first missing or mis-shaped tensor. */
  importTensors(tensors: Readonly<Record<string, { shape: number[]; data: Float32Array }>>): void {
    const assign = (name: string, target: tf.Variable) => {
      const found = tensors[name];
      if (!found) throw new Error(`the saved model lacks ${name}; it was written for another model configuration.`);
      if (found.data.length !== target.size) {
        throw new Error(`the saved ${name} has ${found.data.length} values but this model needs ${target.size}.`);
      }
      tf.tidy(() => target.assign(tf.tensor(found.data, target.shape)));
    };
    for (const [name, p] of Object.entries(this.params)) assign(`param.${name}`, p);
    if (this.running) {
      assign("bn_running_mean", this.running.mean);
      assign("bn_running_variance", this.running.variance);
    }
  }

  dispose(): void {
    tf.dispose(Object.values(this.params));
    if (this.running) tf.dispose([this.running.mean, this.running.variance]);
    if (this.batchStats) tf.dispose([this.batchStats.mean, this.batchStats.variance]);
  }
}
