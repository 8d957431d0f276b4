/**
 * What an SAE architecture provides: its activation function (inference) and, when trainable, everything training
 * needs that differs between architectures — the cfg fields it sets, the initial weights, a trainer returning the
 * loss parts and gradients of one batch, and its remedy for dead latents. trainSae (train.ts) is shared by all.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../stats/rng.js";
import type { ResampleTarget } from "./resample.js";
import type { SaeProducts } from "./sparse-step.js";
import type { SaeConfig, SaeWeights } from "./types.js";

/** SAE weights as tensors (SAELens names). */
export interface SaeTensors {
  W_enc: tf.Tensor2D;
  W_dec: tf.Tensor2D;
  b_enc: tf.Tensor1D;
  b_dec: tf.Tensor1D;
  threshold?: tf.Tensor1D;
}

/** One batch's result from an architecture trainer. The caller disposes every tensor. */
export interface TrainingStepResult {
  /** Gradients keyed by parameter name (already averaged over the batch). */
  grads: Record<string, tf.Tensor>;
  /** [mse, aux, l0] — aux is the sparsity penalty (standard) or the aux-k loss (topk); l0 is the batch mean. */
  stats: tf.Tensor1D;
  /** [d_sae]: how many rows of the batch fired each latent. */
  firing: tf.Tensor1D;
}

export interface StepCoefficients {
  /** Sparsity coefficient λ after warm-up (standard). */
  l1: number;
  /** Latents that count as dead for the auxiliary loss (topk): 1 dead, 0 alive. */
  deadMask?: tf.Tensor1D;
  /** Number of ones in deadMask. */
  deadCount?: number;
}

export interface ArchitectureTrainer {
  /** Trainable parameters by SAELens name. */
  readonly params: Record<string, tf.Variable>;
  /** Loss parts and gradients of one batch x [B, d_in] (in the normalised training space). */
  step(x: tf.Tensor2D, coefficients: StepCoefficients): TrainingStepResult;
  /** Called after each optimiser update (e.g. to renormalise decoder rows). */
  afterUpdate?(): void;
  dispose(): void;
}

export interface TrainerInit {
  cfg: SaeConfig;
  weights: SaeWeights;
  /** Dense or sparse products after the encoder (default "auto": sparse once the measured density is low). */
  products?: SaeProducts;
}

/** The training options an architecture may read into its cfg. */
export interface SaeTrainingChoices {
  /** TopK: active latents per row. */
  k?: number;
}

/** Re-initialises the latents in `dead` from high-loss rows of `rows` [n·d] in the host parameters and Adam moments. */
export type ResampleDeadLatents = (
  target: ResampleTarget,
  dead: readonly number[],
  rows: Float32Array,
  loss: Float64Array,
  rng: Rng,
) => void;

/** The architecture-specific parts of training. */
export interface SaeTraining {
  /** cfg fields set from the training options (e.g. TopK's k). */
  config(choices: SaeTrainingChoices): Partial<SaeConfig>;
  /** Initial weights (SAELens conventions). */
  initWeights(cfg: SaeConfig, rng: Rng, options: { decoderInitNorm: number }): SaeWeights;
  createTrainer(init: TrainerInit): ArchitectureTrainer;
  /** Whether every step receives the mask of latents that fired on no row for a whole window (TopK's aux-k). */
  readonly usesDeadMask: boolean;
  /** Dead-latent resampling (`resampleDeadEvery`); absent when the architecture has its own remedy. */
  readonly resampleDead?: ResampleDeadLatents;
}

export interface SaeArchitecture {
  readonly architecture: string;
  /** Weight tensors this architecture needs besides W_enc, W_dec, b_enc, b_dec. */
  readonly extraWeights: readonly (keyof SaeWeights)[];
  /** cfg fields it needs (e.g. k), checked on import. */
  readonly requiredConfig: readonly (keyof SaeConfig)[];
  /** Latent activations f [B, d_sae] from x [B, d_in] already in the SAE's input space. */
  encode(x: tf.Tensor2D, w: SaeTensors, cfg: SaeConfig): tf.Tensor2D;
  /** Absent for inference-only architectures. */
  readonly training?: SaeTraining;
}
