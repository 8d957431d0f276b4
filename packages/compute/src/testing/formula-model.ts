/**
 * Small deterministic stand-ins for tests of the store and harvest logic: a character tokenizer and a model whose
 * activation at (token, position, dim) is a known formula, so a test can recompute any stored row exactly.
 */
import * as tf from "@tensorflow/tfjs";
import type { ForwardOptions, ForwardResult, LanguageModel, Tokenizer } from "../lm/types.js";

/** id = char code − 31 for printable ASCII (space = 1); 0 is end-of-text, used as BOS and separator. */
export function charTokenizer(): Tokenizer {
  return {
    encode: (text) => [...text].map((ch) => Math.max(1, Math.min(95, ch.charCodeAt(0) - 31))),
    decode: (ids) => ids.map((id) => (id === 0 ? "<eot>" : String.fromCharCode(id + 31))).join(""),
    tokenString: (id) => (id === 0 ? "<eot>" : String.fromCharCode(id + 31)),
    bosTokenId: 0,
    eosTokenId: 0,
    vocabSize: 96,
  };
}

/** The activation the formula model writes for a token at a position, in dimension k. */
export function formulaActivation(token: number, position: number, k: number): number {
  return Math.sin(token * 0.7 + k * 0.37) * (1 + 0.01 * position) + 0.05 * k;
}

/** A LanguageModel whose every hook returns formulaActivation; counts forward calls. */
export function formulaModel(d: number): LanguageModel & { forwardCalls: number } {
  const model = {
    forwardCalls: 0,
    info: { modelType: "formula", name: "formula", nLayers: 4, dModel: d, vocabSize: 96, maxPositions: 1024 },
    tokenizer: charTokenizer(),
    forward(ids: readonly (readonly number[])[], options?: ForwardOptions): ForwardResult {
      model.forwardCalls++;
      const seq = ids[0]?.length ?? 0;
      const values = new Float32Array(ids.length * seq * d);
      ids.forEach((row, b) => {
        row.forEach((token, p) => {
          for (let k = 0; k < d; k++) values[(b * seq + p) * d + k] = formulaActivation(token, p, k);
        });
      });
      const hooks: Record<string, tf.Tensor3D> = {};
      for (const hook of options?.hooks ?? []) hooks[hook] = tf.tensor3d(values, [ids.length, seq, d]);
      return { hooks };
    },
    dispose(): void {},
  };
  return model;
}
