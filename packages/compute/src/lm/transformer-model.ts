/** A loaded language model: architecture data, tfjs weights, tokenizer and the forward pass bound together. */
import * as tf from "@tensorflow/tfjs";
import { denseProducts } from "../backend.js";
import type { Architecture, NormKind } from "./config.js";
import { emptyCache, type KvCache, type ModelParts, runForward } from "./forward.js";
import { type ModelWeights, weightTensors } from "./loader.js";
import type { RopeTables } from "./rope.js";
import type { ForwardOptions, ForwardResult, LanguageModel, ModelInfo, Tokenizer } from "./types.js";

/** What a residual direction's direct effect on the logits needs: the final norm's kind and gain γ, and W_U. */
export interface Unembedding {
  norm: NormKind;
  /** γ of the final norm [d]. */
  gain: Float32Array;
  /** W_U [d, vocab], owned by the model (do not dispose). */
  unembed: tf.Tensor2D;
}

export class TransformerModel implements LanguageModel {
  readonly info: ModelInfo;
  private readonly parts: ModelParts;
  private disposed = false;

  constructor(
    readonly architecture: Architecture,
    weights: ModelWeights,
    readonly tokenizer: Tokenizer,
    name: string,
  ) {
    const rope: RopeTables | null = null;
    this.parts = { arch: architecture, weights, rope, dense: denseProducts() };
    this.info = {
      modelType: architecture.modelType,
      name,
      nLayers: architecture.nLayers,
      dModel: architecture.dModel,
      vocabSize: architecture.vocabSize,
      maxPositions: architecture.maxPositions,
    };
  }

  /** Attaches rotary tables (owned by the model from then on). */
  withRope(rope: RopeTables): this {
    this.parts.rope = rope;
    return this;
  }

  private live(): ModelParts {
    if (this.disposed) throw new Error(`model ${this.info.name} was disposed; load it again.`);
    return this.parts;
  }

  forward(ids: readonly (readonly number[])[], options?: ForwardOptions): ForwardResult {
    return runForward(this.live(), ids, options);
  }

  /** The final norm and the unembedding, for direct logit effects. */
  unembedding(): Unembedding {
    const { arch, weights } = this.live();
    return {
      norm: arch.norm.kind,
      gain: Float32Array.from(weights.finalNorm.weight.dataSync()),
      unembed: weights.unembed,
    };
  }

  /** A fresh key/value cache for incremental decoding with `forwardCached`. Free it with `freeCache`. */
  createCache(): KvCache {
    return emptyCache(this.architecture.nLayers);
  }

  /** Forward pass continuing the positions held in `cache`, which is extended with these ids. */
  forwardCached(ids: readonly (readonly number[])[], cache: KvCache, options?: ForwardOptions): ForwardResult {
    return runForward(this.live(), ids, options, cache);
  }

  /** Encodes text (no special tokens), with the BOS token first when `bos` is set and the tokenizer has one. */
  encode(text: string, bos = false): number[] {
    const ids = this.tokenizer.encode(text);
    if (!bos) return ids;
    const id = this.tokenizer.bosTokenId ?? this.architecture.bosTokenId;
    if (id === null) throw new Error(`model ${this.info.name} has no BOS token; run without --bos.`);
    return [id, ...ids];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.parts.dense.release(weightTensors(this.parts.weights));
    tf.dispose(weightTensors(this.parts.weights));
    if (this.parts.rope) tf.dispose([this.parts.rope.cos, this.parts.rope.sin]);
  }
}
