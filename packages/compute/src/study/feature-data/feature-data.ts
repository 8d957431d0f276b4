/** Every feature's page data for a whole SAE: activation statistics on held-out rows plus its decoder's reading. */

import type { Unembedding } from "../../lm/transformer-model.js";
import type { Tokenizer } from "../../lm/types.js";
import type { Sae } from "../../sae/sae.js";
import type { ActivationStore, RowSelection } from "../../store/reader.js";
import { type ActivationStats, activationPass, type ContextExample } from "./activation-pass.js";
import { positiveBins } from "./bins.js";
import { decoderNeighbours, logitEffects } from "./decoder.js";
import { topK } from "./top-k.js";
import {
  type CoActivationData,
  type ContextExampleData,
  FEATURE_DATA_LIMITS,
  type FeatureData,
  type FeatureDataLimits,
} from "./types.js";

export interface FeatureDataInput {
  store: ActivationStore;
  sae: Sae;
  /** The final norm and unembedding of the model the SAE reads. */
  unembedding: Unembedding;
  tokenizer: Pick<Tokenizer, "tokenString">;
  /** The held-out rows (split and side) the statistics are computed on. */
  selection: RowSelection;
  maxRows?: number;
  /** Fixes the examples drawn from each interval (default 0). */
  seed?: number;
  limits?: FeatureDataLimits;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * A token's string as it can be stored and shown: NUL (which Postgres text cannot hold) becomes the visible "␀" and
 * a lone surrogate half (a byte-level token cut inside a character) becomes "�".
 */
export function displayToken(text: string): string {
  return text
    .replaceAll(String.fromCharCode(0), "\u2400")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

function coActivating(stats: ActivationStats, a: number, m: number, count: number): CoActivationData[] {
  if (stats.fires[a] === 0) return [];
  const counts = new Float64Array(m);
  for (let b = 0; b < m; b++) counts[b] = b === a ? 0 : stats.coCount(a, b);
  return topK(counts, count, a)
    .filter(({ value }) => value > 0)
    .map(({ index, value }) => ({
      index,
      count: value,
      lift: (value * stats.rows) / (stats.fires[a]! * stats.fires[index]!),
    }));
}

/** Density, max, mean, histogram, top and interval-sampled contexts, logit effects, neighbours and co-activation. */
export function computeFeatureData(input: FeatureDataInput): FeatureData[] {
  const limits = input.limits ?? FEATURE_DATA_LIMITS;
  const { sae } = input;
  const m = sae.dSae;
  const stats = activationPass({
    store: input.store,
    sae,
    selection: input.selection,
    limits,
    seed: input.seed ?? 0,
    ...(input.maxRows !== undefined ? { maxRows: input.maxRows } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: (f: number) => input.onProgress?.(0.9 * f) } : {}),
  });
  if (stats.rows === 0) {
    throw new Error("the activation store has no held-out rows to compute feature data on: harvest more tokens.");
  }
  const logits = logitEffects(sae.weights.W_dec, sae.dIn, input.unembedding, limits);
  const neighbours = decoderNeighbours(sae.weights.W_dec, sae.dIn, limits.neighbours);
  input.onProgress?.(0.95);
  const strings = new Map<number, string>();
  const tokenString = (id: number) => {
    let s = strings.get(id);
    if (s === undefined) {
      s = displayToken(input.tokenizer.tokenString(id));
      strings.set(id, s);
    }
    return s;
  };
  const example = (e: ContextExample): ContextExampleData => ({
    tokens: Array.from(e.tokens, tokenString),
    values: Array.from(e.values),
    maxValue: e.value,
    position: e.position,
  });
  const { histogramBins: bins, quantileGroups: groups } = limits;
  return Array.from({ length: m }, (_, i): FeatureData => {
    const max = stats.max[i]!;
    const fires = stats.fires[i]!;
    const effects = logits[i]!;
    const groupCounts = stats.groupCounts.subarray(i * groups, (i + 1) * groups);
    return {
      index: i,
      density: fires / stats.rows,
      maxActivation: max,
      meanActivation: fires > 0 ? stats.sum[i]! / fires : 0,
      histogram: positiveBins(max, stats.histogram.subarray(i * bins, (i + 1) * bins)),
      examples: stats.top[i]!.map(example),
      quantiles: positiveBins(max, groupCounts).map((bin, g) => ({
        ...bin,
        examples: [...stats.groups[i * groups + g]!].sort((a, b) => b.value - a.value || a.row - b.row).map(example),
      })),
      topLogits: effects.top.map(({ token, value }) => ({ token: tokenString(token), value })),
      bottomLogits: effects.bottom.map(({ token, value }) => ({ token: tokenString(token), value })),
      logitHistogram: effects.histogram,
      neighbours: neighbours[i]!,
      coActivating: coActivating(stats, i, m, limits.coActivating),
    };
  });
}
