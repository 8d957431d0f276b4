/**
 * Shared SAE types. Trainers take an injected data provider (a RowSource) and never see the language model.
 * Weights follow SAELens names and layouts: W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc [d_sae], b_dec [d_in],
 * threshold [d_sae] (JumpReLU only). Matrices are row-major Float32Arrays.
 */

/** Rows of activations, one per token. */
export interface RowSource {
  /** Width of each row. */
  readonly d: number;
  /** The next `batchSize` rows as one row-major array [batchSize * d]. */
  nextBatch(batchSize: number): Float32Array;
}

/** SAELens `normalize_activations` values Interlace implements. */
export const NORMALIZE_ACTIVATIONS = ["none", "expected_average_only_in", "constant_norm_rescale"] as const;
export type NormalizeActivations = (typeof NORMALIZE_ACTIVATIONS)[number];

/** The SAELens cfg.json fields Interlace reads and writes. */
export interface SaeConfig {
  architecture: string;
  d_in: number;
  d_sae: number;
  apply_b_dec_to_input: boolean;
  normalize_activations: NormalizeActivations;
  /** TopK only: active latents per row. */
  k?: number;
  /** Everything else (model_name, hook_name, context_size, prepend_bos, …), kept as read. */
  metadata: Record<string, unknown>;
}

export interface SaeWeights {
  W_enc: Float32Array;
  W_dec: Float32Array;
  b_enc: Float32Array;
  b_dec: Float32Array;
  threshold?: Float32Array;
}

/** Per-step training report. */
export interface SaeTrainingProgress {
  step: number;
  totalSteps: number;
  /** Rows seen so far. */
  rows: number;
  loss: number;
  mse: number;
  /** The sparsity / auxiliary term of the loss. */
  aux: number;
  /** Mean active latents per row in this batch. */
  l0: number;
  /** Fraction of latents that did not fire in the last dead-feature window (null before the first window closes). */
  deadFraction: number | null;
  lr: number;
  rowsPerSecond: number;
}
