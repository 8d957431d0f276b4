import type * as tf from "@tensorflow/tfjs";

/** TransformerLens / SAELens hook names Interlace understands. */
export const HOOK_KINDS = ["hook_resid_pre", "hook_attn_out", "hook_mlp_out", "hook_resid_post"] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

/** e.g. `blocks.3.hook_resid_post` */
export type HookName = `blocks.${number}.${HookKind}`;

/**
 * A write hook: receives the activation at its hook, [batch, seq, d], and returns the tensor that replaces it.
 * Used to splice an SAE in, or to clamp / steer features.
 */
export type WriteHook = (activation: tf.Tensor3D) => tf.Tensor3D;

export interface ForwardOptions {
  /** Hooks whose activations are returned (read hooks). */
  hooks?: readonly string[];
  /** Hooks whose activations are replaced by the hook's result (write hooks). */
  writeHooks?: Readonly<Record<string, WriteHook>>;
  /** Return logits (default true). Skipping them saves the unembedding product when only hooks are wanted. */
  logits?: boolean;
  /** Stop after this block when only hooks are wanted (default: run all blocks). */
  stopAtLayer?: number;
}

export interface ForwardResult {
  /** [batch, seq, vocab] when requested. */
  logits?: tf.Tensor3D;
  /** One [batch, seq, d] tensor per requested read hook. */
  hooks: Record<string, tf.Tensor3D>;
}

export interface Tokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The surface string of one token, for displaying examples. */
  tokenString(id: number): string;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  readonly vocabSize: number;
}

export interface ModelInfo {
  /** config.json `model_type`, e.g. gpt2, llama */
  modelType: string;
  /** Display name: the directory's basename or the hub id. */
  name: string;
  nLayers: number;
  dModel: number;
  vocabSize: number;
  maxPositions: number;
}

export interface LanguageModel {
  readonly info: ModelInfo;
  readonly tokenizer: Tokenizer;
  /** ids: [batch][seq] token ids (all rows the same length). Caller disposes returned tensors. */
  forward(ids: readonly (readonly number[])[], options?: ForwardOptions): ForwardResult;
  dispose(): void;
}
