/**
 * A study read on any text: per token of the text, the SAE's most active features, the norm of its reconstruction
 * error, the norm of the NFM's interaction output and the feature pairs contributing most at that token (pair
 * contribution as pairContributionRows defines it).
 */
import * as tf from "@tensorflow/tfjs";
import { parseHookName } from "../lm/forward.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { ResidualModel } from "../nfm/model.js";
import { type FeaturePair, pairContributionRows } from "../nfm/pair-contribution.js";
import type { Sae } from "../sae/sae.js";
import { checkPromptLength } from "./features.js";

export interface AnalyzeOptions {
  /** Active features reported per token (default 8). */
  topFeatures?: number;
  /** Pairs reported per token (default 5). */
  topPairs?: number;
  /** Pairs are sought among this many most active features of each token (default 8). */
  pairCandidates?: number;
  /** Argument name used in errors (default "text"). */
  argument?: string;
}

export interface ActiveFeature {
  index: number;
  value: number;
}

export interface PairContribution {
  a: number;
  b: number;
  contribution: number;
}

export interface TokenAnalysis {
  id: number;
  token: string;
  features: ActiveFeature[];
  /** ‖x − SAE(x)‖ at this token. */
  errorNorm: number;
  /** ‖interaction part of the NFM's ŷ‖ (r's units); null when the study kept no NFM. */
  interactionNorm: number | null;
  pairs: PairContribution[];
}

export interface TextCodes {
  ids: number[];
  /** x [T·d], f [T·d_sae], x̂ [T·d], row-major. */
  x: Float32Array;
  f: Float32Array;
  xHat: Float32Array;
}

/** The activations at `hook` of the ids and the SAE's codes and reconstruction of them. */
export function textCodes(model: TransformerModel, sae: Sae, hook: string, ids: readonly number[]): TextCodes {
  const { layer } = parseHookName(hook, model.info.nLayers);
  const { hooks } = model.forward([ids], { hooks: [hook], logits: false, stopAtLayer: layer });
  const activation = hooks[hook]!;
  const x = activation.dataSync() as Float32Array;
  tf.dispose(Object.values(hooks));
  const { f, xHat } = sae.reconstruct(x);
  return { ids: [...ids], x, f, xHat };
}

function topActive(f: Float32Array, row: number, width: number, count: number): ActiveFeature[] {
  const out: ActiveFeature[] = [];
  for (let i = 0; i < width; i++) {
    const value = f[row * width + i]!;
    if (value !== 0) out.push({ index: i, value });
  }
  out.sort((p, q) => q.value - p.value || p.index - q.index);
  return out.slice(0, count);
}

function rowNorm(data: Float32Array, row: number, width: number, minus?: Float32Array): number {
  let sum = 0;
  for (let c = 0; c < width; c++) {
    const v = data[row * width + c]! - (minus ? minus[row * width + c]! : 0);
    sum += v * v;
  }
  return Math.sqrt(sum);
}

/** Reads `text` through the model, SAE and NFM of a study; see the file comment. */
export function analyzeText(
  parts: { model: TransformerModel; sae: Sae; hook: string; nfm: ResidualModel | null },
  text: string,
  options: AnalyzeOptions = {},
): TokenAnalysis[] {
  const { model, sae, hook, nfm } = parts;
  const ids = model.encode(text);
  checkPromptLength(ids.length, 0, model.info, options.argument ?? "text");
  const { x, f, xHat } = textCodes(model, sae, hook, ids);
  const rows = ids.length;
  const d = sae.dIn;
  const m = sae.dSae;
  const candidates = Array.from({ length: rows }, (_, r) => topActive(f, r, m, options.pairCandidates ?? 8));
  const hasInteraction = nfm?.config.interaction != null;
  const interaction = hasInteraction ? nfm!.predictParts(f, x, rows).interaction : null;
  const pairKeys = new Map<string, number>();
  const pairs: FeaturePair[] = [];
  const rowPairs = candidates.map((active) => {
    const keys: number[] = [];
    const sorted = active.map((a) => a.index).sort((p, q) => p - q);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const key = `${sorted[i]}-${sorted[j]}`;
        let at = pairKeys.get(key);
        if (at === undefined) {
          at = pairs.length;
          pairKeys.set(key, at);
          pairs.push({ a: sorted[i]!, b: sorted[j]! });
        }
        keys.push(at);
      }
    }
    return keys;
  });
  const contributions = hasInteraction && pairs.length > 0 ? pairContributionRows(nfm!, f, rows, pairs) : null;
  return ids.map((id, r) => {
    const top: PairContribution[] = contributions
      ? rowPairs[r]!.map((p) => ({ ...pairs[p]!, contribution: contributions[r * pairs.length + p]! }))
          .filter((p) => p.contribution > 0)
          .sort((p, q) => q.contribution - p.contribution || p.a - q.a || p.b - q.b)
          .slice(0, options.topPairs ?? 5)
      : [];
    return {
      id,
      token: model.tokenizer.tokenString(id),
      features: topActive(f, r, m, options.topFeatures ?? 8),
      errorNorm: rowNorm(x, r, d, xHat),
      interactionNorm: interaction ? rowNorm(interaction, r, d) : null,
      pairs: top,
    };
  });
}
