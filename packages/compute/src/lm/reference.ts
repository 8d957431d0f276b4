/**
 * Compares a model against a reference file of recorded activations: for each prompt i, `p{i}.input_ids`,
 * `p{i}.logits` and `p{i}.blocks.{L}.hook_*`, with the prompts as a JSON list in `__metadata__.prompts`.
 */
import * as tf from "@tensorflow/tfjs";
import { readSafetensors } from "../io/safetensors.js";
import type { LanguageModel } from "./types.js";

export interface ReferenceComparison {
  prompts: number;
  /** Prompts whose token ids differ from the reference's. */
  idMismatches: number[];
  /** Largest absolute difference over logits and every hook of every prompt. */
  maxAbsError: number;
  /** Largest absolute difference per tensor name (without the p{i}. prefix), over prompts. */
  perTensor: Record<string, number>;
  /**
   * Largest difference relative to its tensor's scale, |actual − expected| / max(1, max |expected|): float32 rounding
   * grows with the values (a random Llama's residual reaches ≈ 90, where one rounding step is ≈ 8e-6).
   */
  maxScaledError: number;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

export function compareWithReference(model: LanguageModel, referencePath: string): ReferenceComparison {
  const { tensors, metadata } = readSafetensors(referencePath);
  const raw = metadata["prompts"];
  if (raw === undefined) throw new Error(`${referencePath}: no __metadata__.prompts; it is not a reference file.`);
  const prompts = JSON.parse(raw) as string[];
  const result: ReferenceComparison = {
    prompts: prompts.length,
    idMismatches: [],
    maxAbsError: 0,
    perTensor: {},
    maxScaledError: 0,
  };
  prompts.forEach((prompt, i) => {
    const prefix = `p${i}.`;
    const refIds = tensors[`${prefix}input_ids`];
    if (!refIds) throw new Error(`${referencePath}: missing ${prefix}input_ids.`);
    const ids = [...refIds.data];
    if (model.tokenizer.encode(prompt).join() !== ids.join()) result.idMismatches.push(i);
    const hooks = Object.keys(tensors)
      .filter((name) => name.startsWith(`${prefix}blocks.`))
      .map((name) => name.slice(prefix.length));
    const out = model.forward([ids], { hooks });
    try {
      const record = (name: string, actual: tf.Tensor | undefined) => {
        const expected = tensors[`${prefix}${name}`]!;
        const error = actual ? maxAbsDifference(actual.dataSync(), expected.data) : Number.POSITIVE_INFINITY;
        result.perTensor[name] = Math.max(result.perTensor[name] ?? 0, error);
        result.maxAbsError = Math.max(result.maxAbsError, error);
        let scale = 1;
        for (const value of expected.data) scale = Math.max(scale, Math.abs(value));
        result.maxScaledError = Math.max(result.maxScaledError, error / scale);
      };
      if (tensors[`${prefix}logits`]) record("logits", out.logits);
      for (const hook of hooks) record(hook, out.hooks[hook]);
    } finally {
      tf.dispose([...(out.logits ? [out.logits] : []), ...Object.values(out.hooks)]);
    }
  });
  return result;
}
