/**
 * A pair's contribution — the one definition the product uses (interaction pages, steering's per-token pairs,
 * stimulus studies): on a row where features a and b are both active, the norm of the change in the NFM's output
 * when the pair's term f_a·f_b·(v_a ⊙ v_b) is removed from the Bi-Interaction pooled vector BI(f), passed through
 * the rest of the NFM (batch norm and head). Measured in r's units; 0 on rows where either feature is inactive.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import { CoActivationIndex, embeddingOf } from "./inspect.js";
import type { ResidualModel } from "./model.js";
import type { ResidualData } from "./residual-data.js";

export interface FeaturePair {
  a: number;
  b: number;
}

/**
 * Per row and pair, ‖ŷ(BI) − ŷ(BI − f_a f_b (v_a ⊙ v_b))‖ for raw codes f [rows · d_sae] (row-major, the SAE's own
 * units). Returns [rows · pairs.length], row-major.
 */
export function pairContributionRows(
  model: ResidualModel,
  f: Float32Array,
  rows: number,
  pairs: readonly FeaturePair[],
): Float32Array {
  const e = embeddingOf(model);
  const { dSae, k } = e;
  if (f.length !== rows * dSae) {
    throw new Error(`the codes hold ${f.length} values; ${rows} rows of d_sae ${dSae} need ${rows * dSae}.`);
  }
  for (const { a, b } of pairs) {
    for (const i of [a, b]) {
      if (!Number.isInteger(i) || i < 0 || i >= dSae) {
        throw new Error(`feature ${i} is not a feature index; use 0..${dSae - 1}.`);
      }
    }
    if (a === b) throw new Error(`a pair needs two distinct features (got ${a} twice).`);
  }
  const out = new Float32Array(rows * pairs.length);
  if (rows === 0 || pairs.length === 0) return out;
  const s = model.scales.f;
  const bi = model.pooledValues(f, rows);
  const base = tf.tidy(() => model.interactionFromPooled(tf.tensor2d(bi, [rows, k])));
  try {
    pairs.forEach(({ a, b }, p) => {
      const active: number[] = [];
      for (let r = 0; r < rows; r++) if (f[r * dSae + a] !== 0 && f[r * dSae + b] !== 0) active.push(r);
      if (active.length === 0) return;
      const without = new Float32Array(active.length * k);
      active.forEach((r, j) => {
        const w = f[r * dSae + a]! * f[r * dSae + b]! * s * s;
        for (let c = 0; c < k; c++) without[j * k + c] = bi[r * k + c]! - w * e.v[a * k + c]! * e.v[b * k + c]!;
      });
      const norms = tidyValues(() => {
        const idx = tf.tensor1d(Int32Array.from(active), "int32");
        const changed = model.interactionFromPooled(tf.tensor2d(without, [active.length, k]));
        return tf.div(tf.norm(tf.sub(tf.gather(base, idx), changed), 2, 1), model.scales.r);
      });
      active.forEach((r, j) => {
        out[r * pairs.length + p] = norms[j]!;
      });
    });
  } finally {
    base.dispose();
  }
  return out;
}

/**
 * A pair's mean contribution on the given rows of the data (e.g. held-out rows) where both features are active, with
 * the number of such rows.
 */
export function pairAblationEffect(
  model: ResidualModel,
  data: ResidualData,
  rows: Int32Array,
  a: number,
  b: number,
  index?: CoActivationIndex,
): { meanNorm: number; rows: number } {
  const co = (index ?? new CoActivationIndex(data, rows)).both(a, b);
  if (co.length === 0) return { meanNorm: 0, rows: 0 };
  const batch = data.batch(co.map((p) => rows[p]!));
  const norms = pairContributionRows(model, batch.f, co.length, [{ a, b }]);
  let sum = 0;
  for (const x of norms) sum += x;
  return { meanNorm: sum / co.length, rows: co.length };
}
