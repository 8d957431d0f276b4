/**
 * What a study's models make of one prompt: the activations at the study's hook, the SAE codes f of every token, and
 * the NFM on the real codes — its linear part, its interaction part, each interaction dimension k (BI pooling of f)
 * — and the SAE residual r = x − x̂. Every measure is computed per token, then read out over the prompt's tokens (or
 * its marked span) as the design says: the last token, or the max or mean over them.
 */
import * as tf from "@tensorflow/tfjs";
import { parseHookName } from "../lm/forward.js";
import type { LanguageModel, Tokenizer } from "../lm/types.js";
import type { ResidualModel } from "../nfm/model.js";
import type { Sae } from "../sae/sae.js";
import type { SaeConfig } from "../sae/types.js";
import { type CellKey, type Readout, splitSpan } from "./design.js";

/** The loaded models a stimulus analysis reads (a finished study's, see openStudyArtifacts). */
export interface StimulusModels {
  model: LanguageModel;
  hook: string;
  sae: Sae;
  nfm: ResidualModel;
}

export interface PromptMeasures {
  cell: CellKey;
  prompt: string;
  /** Token count of the prompt as run (BOS included when the study prepends one). */
  tokens: number;
  /** Positions the readout pools (the marked span, or every token). */
  positions: number[];
  /** Readout of each SAE feature [d_sae]. */
  features: Float32Array;
  /** Readout of each interaction dimension BI_k [K]. */
  kDims: Float32Array;
  /** Readouts of the per-token norms of the NFM's interaction part, its linear part and the SAE residual. */
  interactionNorm: number;
  linearNorm: number;
  residualNorm: number;
  /** The SAE codes of every token [tokens · d_sae] (pair contributions are computed from them). */
  codes: Float32Array;
}

/** Whether the study prepends BOS and how long its contexts are (from its SAE's SAELens metadata). */
export function studyReading(cfg: SaeConfig, maxPositions: number): { bos: boolean; context: number } {
  const meta = cfg.metadata;
  const context = typeof meta["context_size"] === "number" ? meta["context_size"] : maxPositions;
  return { bos: meta["prepend_bos"] === true, context: Math.min(context, maxPositions) };
}

/** Token ids of a prompt as the study reads it, and the positions its readout pools. */
export function tokenizePrompt(
  tokenizer: Tokenizer,
  bos: boolean,
  prompt: string,
): { ids: number[]; positions: number[] } {
  const start = bos && tokenizer.bosTokenId !== null ? [tokenizer.bosTokenId] : [];
  const span = splitSpan(prompt);
  if (!span) {
    const ids = [...start, ...tokenizer.encode(prompt)];
    return { ids, positions: ids.map((_, i) => i).slice(start.length) };
  }
  // Whitespace before the span belongs to its first token in byte-level BPE (" Mexico"), so it goes with the span.
  const lead = span.before.length - span.before.trimEnd().length;
  const head = span.before.slice(0, span.before.length - lead);
  const before = head === "" ? 0 : tokenizer.encode(head).length;
  const through = tokenizer.encode(span.before + span.span).length;
  const ids = [...start, ...tokenizer.encode(span.before + span.span + span.after)];
  const positions: number[] = [];
  for (let i = before; i < Math.max(through, before + 1); i++) positions.push(start.length + i);
  return { ids, positions };
}

/** The readout of per-token values [tokens · width] over `positions`, per column. */
export function readoutRows(
  values: Float32Array,
  width: number,
  positions: readonly number[],
  readout: Readout,
): Float32Array {
  const out = new Float32Array(width);
  if (readout === "last") {
    const last = positions[positions.length - 1]!;
    out.set(values.subarray(last * width, (last + 1) * width));
    return out;
  }
  if (readout === "max") out.fill(Number.NEGATIVE_INFINITY);
  for (const p of positions) {
    for (let c = 0; c < width; c++) {
      const v = values[p * width + c]!;
      if (readout === "max") out[c] = Math.max(out[c]!, v);
      else out[c]! += v / positions.length;
    }
  }
  return out;
}

function rowNorms(values: Float32Array, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < width; c++) sum += values[r * width + c]! ** 2;
    out[r] = Math.sqrt(sum);
  }
  return out;
}

/** The activations at the study's hook for one prompt's ids [tokens · d]. */
function hookActivations(models: StimulusModels, ids: number[]): Float32Array {
  const { layer } = parseHookName(models.hook, models.model.info.nLayers);
  const result = models.model.forward([ids], { hooks: [models.hook], logits: false, stopAtLayer: layer });
  try {
    const activation = result.hooks[models.hook];
    if (!activation) throw new Error(`the model returned no activation for hook ${models.hook}.`);
    return activation.dataSync() as Float32Array;
  } finally {
    tf.dispose(Object.values(result.hooks));
    result.logits?.dispose();
  }
}

/** Every measure of one prompt. */
export function measurePrompt(models: StimulusModels, cell: CellKey, prompt: string, readout: Readout): PromptMeasures {
  const { bos } = studyReading(models.sae.cfg, models.model.info.maxPositions);
  const { ids, positions } = tokenizePrompt(models.model.tokenizer, bos, prompt);
  if (ids.length === 0 || positions.length === 0) throw new Error(`the prompt "${prompt}" has no tokens to read.`);
  const x = hookActivations(models, ids);
  const rows = ids.length;
  const d = models.sae.dIn;
  const { f, xHat } = models.sae.reconstruct(x);
  const residual = x.map((v, i) => v - xHat[i]!);
  const parts = models.nfm.predictParts(f, models.nfm.config.linear === "x" ? x : null, rows);
  const zeros = new Float32Array(rows);
  const norm = (part: Float32Array | null) => (part ? rowNorms(part, rows, d) : zeros);
  const one = (perToken: Float32Array) => readoutRows(perToken, 1, positions, readout)[0]!;
  const k = models.nfm.config.interaction?.k ?? 0;
  return {
    cell,
    prompt,
    tokens: rows,
    positions,
    features: readoutRows(f, models.sae.dSae, positions, readout),
    kDims: k > 0 ? readoutRows(models.nfm.pooledValues(f, rows), k, positions, readout) : new Float32Array(0),
    interactionNorm: one(norm(parts.interaction)),
    linearNorm: one(norm(parts.linear)),
    residualNorm: one(rowNorms(residual, rows, d)),
    codes: f,
  };
}
