/**
 * What makes a pair of features believable as an interaction, measured on held-out rows: how often the two are
 * co-active and how that compares with chance (lift), the pair's contribution (pair-contribution.ts, the one
 * definition) averaged over its co-active rows, its share of the NFM's interaction output, and the rows where it
 * contributes most.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import { CoActivationIndex, type Embedding, topPairs } from "./inspect.js";
import type { ResidualModel } from "./model.js";
import { type FeaturePair, pairContributionRows } from "./pair-contribution.js";
import type { ResidualData } from "./residual-data.js";

export interface PairRowContribution {
  /** A row of the data. */
  row: number;
  contribution: number;
}

export interface InspectedPair {
  a: number;
  b: number;
  /** ⟨v_a, v_b⟩ (signed, the model's scaled space). */
  strength: number;
  /** Held-out rows on which both are active. */
  coActivations: number;
  /** coActivations · N / (n_a · n_b) on the N held-out rows; null when either feature never fires there. */
  lift: number | null;
  /** Co-active on at least one held-out row. */
  supported: boolean;
  /** Mean contribution over the co-active rows measured (null when there are none). */
  contribution: number | null;
  /** Co-active rows the contribution was averaged over (all of them, up to `maxRows`). */
  contributionRows: number;
  /** Σ of the pair's contribution over held-out rows / Σ ‖interaction output‖ over them (null without output). */
  share: number | null;
  /** The rows with the largest contribution, largest first. */
  topRows: PairRowContribution[];
}

export interface PairInspectionOptions {
  /** The held-out rows of the data. */
  rows: Int32Array;
  /** Co-activation index over `rows` (built when absent). */
  index?: CoActivationIndex;
  /** ‖interaction output‖ per row of `rows` (interactionOutputNorms); without it `share` is null. */
  outputNorms?: Float64Array;
  /** Rows kept per pair (default 5). */
  topRows?: number;
  /** At most this many co-active rows (evenly spaced) are measured per pair (default 2048). */
  maxRows?: number;
  /** Rows per batch (default 256). */
  chunk?: number;
}

/**
 * The pairs a study stores: the `count` pairs with the largest |strength|, and the `count` co-active (in `index`)
 * pairs with the largest |strength|; each pair once, with a < b.
 */
export function storedPairCandidates(e: Embedding, index: CoActivationIndex, count: number): FeaturePair[] {
  const seen = new Set<string>();
  const out: FeaturePair[] = [];
  for (const p of [...topPairs(e, { count }), ...topPairs(e, { count, coActivation: index, supportedOnly: true })]) {
    const a = Math.min(p.a, p.b);
    const b = Math.max(p.a, p.b);
    if (seen.has(`${a}:${b}`)) continue;
    seen.add(`${a}:${b}`);
    out.push({ a, b });
  }
  return out;
}

/** ‖interaction output‖ (r's units, inference mode) on each of the given rows. */
export function interactionOutputNorms(
  model: ResidualModel,
  data: ResidualData,
  rows: Int32Array,
  chunk = 256,
): Float64Array {
  const k = model.config.interaction?.k;
  if (!k) throw new Error("the model has no interaction path; use the full or interaction-only variant.");
  const out = new Float64Array(rows.length);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.subarray(start, Math.min(rows.length, start + chunk));
    const { f } = data.batch(part);
    const bi = model.pooledValues(f, part.length);
    const norms = tidyValues(() =>
      tf.div(tf.norm(model.interactionFromPooled(tf.tensor2d(bi, [part.length, k])), 2, 1), model.scales.r),
    );
    for (let i = 0; i < part.length; i++) out[start + i] = norms[i]!;
  }
  return out;
}

/** Evenly spaced picks of at most `max` items, in order. */
function evenly<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/** Co-activation, lift, contribution, share and top rows of each pair on the held-out rows. */
export function inspectPairs(
  model: ResidualModel,
  data: ResidualData,
  e: Embedding,
  pairs: readonly FeaturePair[],
  options: PairInspectionOptions,
): InspectedPair[] {
  const { rows } = options;
  const index = options.index ?? new CoActivationIndex(data, rows);
  const topRows = options.topRows ?? 5;
  const chunk = options.chunk ?? 256;
  let totalOutput = 0;
  for (const x of options.outputNorms ?? []) totalOutput += x;
  const n = rows.length;
  return pairs.map(({ a, b }) => {
    let strength = 0;
    for (let c = 0; c < e.k; c++) strength += e.v[a * e.k + c]! * e.v[b * e.k + c]!;
    const both = index.both(a, b);
    const na = index.count(a);
    const nb = index.count(b);
    const lift = na > 0 && nb > 0 ? (both.length * n) / (na * nb) : null;
    const measured = evenly(both, options.maxRows ?? 2048);
    const values: PairRowContribution[] = [];
    for (let start = 0; start < measured.length; start += chunk) {
      const part = measured.slice(start, start + chunk).map((p) => rows[p]!);
      const norms = pairContributionRows(model, data.batch(part).f, part.length, [{ a, b }]);
      part.forEach((row, i) => {
        values.push({ row, contribution: norms[i]! });
      });
    }
    let sum = 0;
    for (const v of values) sum += v.contribution;
    const mean = values.length > 0 ? sum / values.length : null;
    values.sort((x, y) => y.contribution - x.contribution || x.row - y.row);
    return {
      a,
      b,
      strength,
      coActivations: both.length,
      lift,
      supported: both.length > 0,
      contribution: mean,
      contributionRows: values.length,
      share: totalOutput > 0 ? ((mean ?? 0) * both.length) / totalOutput : null,
      topRows: values.slice(0, topRows),
    };
  });
}

/** Per feature, Σ_{j ≠ i} |⟨v_i, v_j⟩| (Gram matrix in row blocks: memory O(block · d_sae)). */
export function interactionMass(e: Embedding, block = 512): Float64Array {
  const mass = new Float64Array(e.dSae);
  const all = tf.tensor2d(e.v, [e.dSae, e.k]);
  const allT = tf.transpose(all);
  try {
    for (let start = 0; start < e.dSae; start += block) {
      const rowsInBlock = Math.min(block, e.dSae - start);
      const sums = tidyValues(() => {
        const gram = tf.matMul(all.slice([start, 0], [rowsInBlock, e.k]), allT);
        return tf.sum(tf.abs(gram), 1);
      });
      for (let r = 0; r < rowsInBlock; r++) {
        let self = 0;
        for (let c = 0; c < e.k; c++) self += e.v[(start + r) * e.k + c]! ** 2;
        mass[start + r] = sums[r]! - self;
      }
    }
  } finally {
    tf.dispose([all, allT]);
  }
  return mass;
}
