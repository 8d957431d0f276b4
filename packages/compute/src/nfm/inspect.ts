/**
 * Inspection of a trained NFM's interactions: pair strengths ⟨vᵢ, vⱼ⟩, top pairs, a feature's top partners, the
 * K-dimensions a feature loads on and the other features loading there, co-activation support on data, the exact
 * effect of ablating one pair's term, and the split of ŷ into linear and interaction parts.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import { errorReductionOf, type RowErrors } from "../stats/bootstrap.js";
import { predictorRowErrors } from "./evaluate.js";
import type { ResidualModel } from "./model.js";
import type { ResidualData } from "./residual-data.js";

/** V [d_sae·K] with its shape. */
export interface Embedding {
  v: Float32Array;
  dSae: number;
  k: number;
}

export interface InteractionPair {
  a: number;
  b: number;
  /** ⟨v_a, v_b⟩. */
  strength: number;
  /** Rows (of the data given) on which both features are active; null when no data were given. */
  coActivations: number | null;
  /** False when the pair never co-occurs in the data: its strength was never exercised by training. */
  supported: boolean | null;
}

export function embeddingOf(model: ResidualModel): Embedding {
  const v = model.embedding();
  const c = model.config.interaction;
  if (!v || !c) throw new Error("the model has no interaction path (V); inspect a full or interaction-only NFM.");
  return { v, dSae: model.config.dSae, k: c.k };
}

function checkFeature(e: Embedding, i: number, name: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= e.dSae) {
    throw new Error(`${name} ${i} is not a feature index; use 0..${e.dSae - 1}.`);
  }
}

export function pairStrength(e: Embedding, a: number, b: number): number {
  checkFeature(e, a, "feature a");
  checkFeature(e, b, "feature b");
  let s = 0;
  for (let c = 0; c < e.k; c++) s += e.v[a * e.k + c]! * e.v[b * e.k + c]!;
  return s;
}

/** Rows on which each feature is active (an inverted index over `rows` of the data). */
export class CoActivationIndex {
  private readonly rowsOf: Map<number, number[]> = new Map();

  constructor(data: ResidualData, rows: ArrayLike<number>) {
    for (let r = 0; r < rows.length; r++) {
      const { index } = data.activeFeatures(rows[r]!);
      for (const i of index) {
        const list = this.rowsOf.get(i);
        if (list) list.push(r);
        else this.rowsOf.set(i, [r]);
      }
    }
  }

  /** Rows (positions in the given row list) where feature i is active. */
  rows(i: number): readonly number[] {
    return this.rowsOf.get(i) ?? [];
  }

  count(i: number): number {
    return this.rows(i).length;
  }

  /** Rows where both a and b are active (sorted intersection). */
  both(a: number, b: number): number[] {
    const x = this.rows(a);
    const y = this.rows(b);
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (x[i]! === y[j]!) {
        out.push(x[i]!);
        i++;
        j++;
      } else if (x[i]! < y[j]!) i++;
      else j++;
    }
    return out;
  }

  coActivations(a: number, b: number): number {
    return this.both(a, b).length;
  }
}

function pairOf(e: Embedding, a: number, b: number, index: CoActivationIndex | null): InteractionPair {
  const co = index ? index.coActivations(a, b) : null;
  return { a, b, strength: pairStrength(e, a, b), coActivations: co, supported: co === null ? null : co > 0 };
}

export interface TopPairsOptions {
  /** How many pairs (default 20). */
  count?: number;
  /** Only pairs among these features (default all). */
  features?: readonly number[];
  /** Co-activation index: adds counts and the `supported` flag. */
  coActivation?: CoActivationIndex;
  /** Drop pairs never co-active (default false: keep them, flagged unsupported). */
  supportedOnly?: boolean;
}

/** The pairs with the largest |⟨vᵢ, vⱼ⟩| (Gram matrix computed in row blocks with tfjs). */
export function topPairs(e: Embedding, options: TopPairsOptions = {}): InteractionPair[] {
  const count = options.count ?? 20;
  const features = options.features ?? Array.from({ length: e.dSae }, (_, i) => i);
  for (const f of features) checkFeature(e, f, "feature");
  const n = features.length;
  const sub = new Float32Array(n * e.k);
  features.forEach((f, i) => {
    sub.set(e.v.subarray(f * e.k, (f + 1) * e.k), i * e.k);
  });
  const best: { i: number; j: number; s: number }[] = [];
  let floor = 0;
  const index = options.coActivation;
  const consider = (i: number, j: number, s: number) => {
    const a = Math.abs(s);
    if (best.length >= count * 4 && a <= floor) return;
    if (options.supportedOnly && index && index.coActivations(features[i]!, features[j]!) === 0) return;
    best.push({ i, j, s });
    if (best.length >= count * 8) {
      best.sort((x, y) => Math.abs(y.s) - Math.abs(x.s));
      best.length = count * 4;
      floor = Math.abs(best[best.length - 1]!.s);
    }
  };
  const block = 512;
  const all = tf.tensor2d(sub, [n, e.k]);
  const allT = tf.transpose(all);
  for (let start = 0; start < n; start += block) {
    const rows = Math.min(block, n - start);
    const gram = tidyValues(() => tf.matMul(all.slice([start, 0], [rows, e.k]), allT));
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      for (let j = i + 1; j < n; j++) consider(i, j, gram[r * n + j]!);
    }
  }
  tf.dispose([all, allT]);
  best.sort((x, y) => Math.abs(y.s) - Math.abs(x.s));
  const out: InteractionPair[] = [];
  for (const { i, j } of best) {
    const pair = pairOf(e, features[i]!, features[j]!, options.coActivation ?? null);
    if (options.supportedOnly && pair.supported === false) continue;
    out.push(pair);
    if (out.length === count) break;
  }
  return out;
}

/** The features with the largest |⟨v_feature, vⱼ⟩|, j ≠ feature. */
export function topPartners(
  e: Embedding,
  feature: number,
  options: { count?: number; coActivation?: CoActivationIndex; supportedOnly?: boolean } = {},
): InteractionPair[] {
  checkFeature(e, feature, "feature");
  const scored: { j: number; s: number }[] = [];
  for (let j = 0; j < e.dSae; j++) if (j !== feature) scored.push({ j, s: pairStrength(e, feature, j) });
  scored.sort((x, y) => Math.abs(y.s) - Math.abs(x.s));
  const out: InteractionPair[] = [];
  for (const { j } of scored) {
    const pair = pairOf(e, feature, j, options.coActivation ?? null);
    if (options.supportedOnly && pair.supported === false) continue;
    out.push(pair);
    if (out.length === (options.count ?? 10)) break;
  }
  return out;
}

export interface FeatureDimension {
  dim: number;
  /** v[feature, dim]. */
  value: number;
  /** Other features with the largest |v[·, dim]|. */
  loaders: { feature: number; value: number }[];
}

/** The K-dimensions where a feature's |v| is largest, each with the other features loading most on it. */
export function topDimensionsOfFeature(
  e: Embedding,
  feature: number,
  options: { dims?: number; loaders?: number } = {},
): FeatureDimension[] {
  checkFeature(e, feature, "feature");
  const dims = Array.from({ length: e.k }, (_, c) => c)
    .sort((x, y) => Math.abs(e.v[feature * e.k + y]!) - Math.abs(e.v[feature * e.k + x]!))
    .slice(0, options.dims ?? 3);
  return dims.map((dim) => {
    const loaders: { feature: number; value: number }[] = [];
    for (let j = 0; j < e.dSae; j++) if (j !== feature) loaders.push({ feature: j, value: e.v[j * e.k + dim]! });
    loaders.sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
    return { dim, value: e.v[feature * e.k + dim]!, loaders: loaders.slice(0, options.loaders ?? 10) };
  });
}

export interface Contributions {
  /** ‖linear part‖ per row (zeros without a linear term). */
  linearNorm: Float64Array;
  /** ‖interaction part‖ per row. */
  interactionNorm: Float64Array;
  /** ER of the full model, of bias + linear part only, and of bias + interaction part only. */
  er: { full: number; linearOnly: number; interactionOnly: number };
}

/** Per held-out row, the norms of the linear and interaction parts of ŷ, and each part's share of ER. */
export function contributions(model: ResidualModel, data: ResidualData, rows: Int32Array): Contributions {
  const d = data.dIn;
  const linearNorm = new Float64Array(rows.length);
  const interactionNorm = new Float64Array(rows.length);
  const needsX = model.config.linear === "x";
  let offset = 0;
  const run = (which: "full" | "linearOnly" | "interactionOnly"): RowErrors =>
    predictorRowErrors(data, rows, (batch, n) => {
      const y = model.predict(batch.f, needsX ? batch.x : null, n);
      const parts = model.predictParts(batch.f, needsX ? batch.x : null, n);
      if (which === "full") {
        for (let i = 0; i < n; i++) {
          let l = 0;
          let q = 0;
          for (let j = 0; j < d; j++) {
            l += (parts.linear?.[i * d + j] ?? 0) ** 2;
            q += (parts.interaction?.[i * d + j] ?? 0) ** 2;
          }
          linearNorm[offset + i] = Math.sqrt(l);
          interactionNorm[offset + i] = Math.sqrt(q);
        }
        offset += n;
        return y;
      }
      const drop = which === "linearOnly" ? parts.interaction : parts.linear;
      return drop ? y.map((v, i) => v - drop[i]!) : y;
    });
  const er = {
    full: errorReductionOf(run("full")),
    linearOnly: errorReductionOf(run("linearOnly")),
    interactionOnly: errorReductionOf(run("interactionOnly")),
  };
  return { linearNorm, interactionNorm, er };
}
