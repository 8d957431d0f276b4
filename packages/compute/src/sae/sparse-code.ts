/**
 * The active entries of an SAE code as index lists per row (CSR): row b's entries are cols/vals[rowStart[b] ..
 * rowStart[b+1]), in increasing latent order. Built on the host from the dense pre-activations of a batch; the
 * sparse products (sparse-products.ts) touch only these entries.
 *
 * TopK selection rule (shared with the dense path's tf.topk): larger value first, and among equal values the lower
 * latent index; a selected entry is active only when its value is positive (ReLU).
 */

export interface SparseCode {
  rows: number;
  /** Latents (columns). */
  width: number;
  /** [rows + 1] offsets into cols/vals. */
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/** Active entries per row (L0) of a code. */
export function meanActive(code: SparseCode): number {
  return code.rows === 0 ? 0 : code.cols.length / code.rows;
}

function fromCounts(rows: number, width: number, counts: Int32Array, capacity: number): SparseCode {
  const rowStart = new Int32Array(rows + 1);
  for (let b = 0; b < rows; b++) rowStart[b + 1] = rowStart[b]! + counts[b]!;
  return { rows, width, rowStart, cols: new Int32Array(capacity), vals: new Float32Array(capacity) };
}

/**
 * The positive entries of a dense [rows, width] matrix (ReLU codes) in one pass, or null as soon as there are more
 * than `maxEntries` of them (the caller then takes the dense path).
 */
export function positiveEntries(
  dense: Float32Array,
  rows: number,
  width: number,
  maxEntries = Number.POSITIVE_INFINITY,
): SparseCode | null {
  const rowStart = new Int32Array(rows + 1);
  let cols = new Int32Array(Math.min(rows * width, Math.max(1024, rows * 64)));
  let vals = new Float32Array(cols.length);
  let at = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * width;
    if (at + width > cols.length) {
      if (at > maxEntries) return null;
      const grown = Math.min(rows * width, Math.max(cols.length * 2, at + width));
      const moreCols = new Int32Array(grown);
      const moreVals = new Float32Array(grown);
      moreCols.set(cols.subarray(0, at));
      moreVals.set(vals.subarray(0, at));
      cols = moreCols;
      vals = moreVals;
    }
    for (let j = 0; j < width; j++) {
      const v = dense[base + j]!;
      if (v > 0) {
        cols[at] = j;
        vals[at++] = v;
      }
    }
    rowStart[b + 1] = at;
  }
  if (at > maxEntries) return null;
  return { rows, width, rowStart, cols: cols.subarray(0, at), vals: vals.subarray(0, at) };
}

/**
 * Per row, the `k` largest of dense[row, candidates] by the selection rule above (candidates in increasing order;
 * null = every latent). With `positiveOnly`, selected entries ≤ 0 are dropped (TopK's ReLU); otherwise all `k` are
 * kept with their values (aux-k). Entries come out in increasing latent order.
 */
export function topEntries(
  dense: Float32Array,
  rows: number,
  width: number,
  k: number,
  options: { candidates?: Int32Array | null; positiveOnly: boolean },
): SparseCode {
  const candidates = options.candidates ?? null;
  const pool = candidates ? candidates.length : width;
  const take = Math.min(k, pool);
  const selected = new Int32Array(rows * take);
  const counts = new Int32Array(rows);
  const heapVal = new Float32Array(take);
  const heapIdx = new Int32Array(take);
  const order = new Int32Array(take);
  let total = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * width;
    // Sorted list (value descending, index ascending) of the best `take` seen so far; scanning latents in
    // increasing order, a newcomer equal to the last kept value loses (its index is larger), hence the strict >.
    let size = 0;
    for (let c = 0; c < pool; c++) {
      const j = candidates ? candidates[c]! : c;
      const v = dense[base + j]!;
      if (size === take && !(v > heapVal[take - 1]!)) continue;
      let at = size === take ? take - 1 : size++;
      while (at > 0 && v > heapVal[at - 1]!) {
        heapVal[at] = heapVal[at - 1]!;
        heapIdx[at] = heapIdx[at - 1]!;
        at--;
      }
      heapVal[at] = v;
      heapIdx[at] = j;
    }
    let n = 0;
    for (let s = 0; s < size; s++) if (!options.positiveOnly || heapVal[s]! > 0) order[n++] = heapIdx[s]!;
    const kept = order.subarray(0, n).sort();
    selected.set(kept, b * take);
    counts[b] = n;
    total += n;
  }
  const code = fromCounts(rows, width, counts, total);
  const { cols, vals } = code;
  let at = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * width;
    for (let s = 0; s < counts[b]!; s++) {
      const j = selected[b * take + s]!;
      cols[at] = j;
      vals[at++] = dense[base + j]!;
    }
  }
  return code;
}
