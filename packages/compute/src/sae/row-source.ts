/** Row sources over in-memory activations: shuffled epochs with a seeded order, resumable by position. */
import { createRng, permutation, type Rng } from "../stats/rng.js";
import type { RowSource } from "./types.js";

/** A RowSource whose position can be saved and restored (for bit-for-bit resume). */
export interface ResumableRowSource extends RowSource {
  /** Opaque JSON-serialisable position. */
  state(): unknown;
  restore(state: unknown): void;
}

interface ArrayRowSourceState {
  rngState: number;
  cursor: number;
  order: number[];
}

/**
 * Serves rows of `data` ([n·d], row-major) in a fresh random order each epoch (seeded). Batches never repeat a row
 * within an epoch; a batch that crosses an epoch boundary continues in the next epoch's order. With `rows`, only
 * those rows of `data` are served, read in place (no copy): the same batches as serving a copy of those rows.
 */
export function arrayRowSource(data: Float32Array, d: number, seed = 0, rows?: Int32Array): ResumableRowSource {
  if (!Number.isInteger(d) || d <= 0 || data.length % d !== 0 || data.length === 0) {
    throw new Error(`arrayRowSource: ${data.length} values do not form whole rows of width ${d}; pass [n·d] data.`);
  }
  const stored = data.length / d;
  if (rows && (rows.length === 0 || rows.some((row) => !(row >= 0 && row < stored)))) {
    throw new Error(`arrayRowSource: the row subset must be non-empty, with rows in 0..${stored - 1}.`);
  }
  const n = rows ? rows.length : stored;
  let rng: Rng = createRng(seed);
  let order = permutation(n, rng);
  let cursor = 0;
  return {
    d,
    nextBatch(batchSize: number): Float32Array {
      const out = new Float32Array(batchSize * d);
      for (let b = 0; b < batchSize; b++) {
        if (cursor === n) {
          order = permutation(n, rng);
          cursor = 0;
        }
        const position = order[cursor++]!;
        const row = rows ? rows[position]! : position;
        out.set(data.subarray(row * d, (row + 1) * d), b * d);
      }
      return out;
    },
    state(): ArrayRowSourceState {
      return { rngState: rng.state(), cursor, order: Array.from(order) };
    },
    restore(state: unknown): void {
      const s = state as ArrayRowSourceState;
      if (!s || !Array.isArray(s.order) || s.order.length !== n) {
        throw new Error("arrayRowSource: the saved position belongs to different data; resume with the same rows.");
      }
      rng = createRng(seed, s.rngState);
      order = Int32Array.from(s.order);
      cursor = s.cursor;
    },
  };
}

/** Splits rows [n·d] into train and held-out parts (the last `heldOutFraction` of a seeded shuffle). */
export function splitRows(
  data: Float32Array,
  d: number,
  heldOutFraction: number,
  seed = 0,
): { train: Float32Array; heldOut: Float32Array; trainIndex: Int32Array; heldOutIndex: Int32Array } {
  const n = data.length / d;
  const order = permutation(n, createRng(seed));
  const nHeld = Math.round(n * heldOutFraction);
  const take = (idx: Int32Array) => {
    const out = new Float32Array(idx.length * d);
    idx.forEach((row, i) => {
      out.set(data.subarray(row * d, (row + 1) * d), i * d);
    });
    return out;
  };
  const trainIndex = order.slice(0, n - nHeld);
  const heldOutIndex = order.slice(n - nHeld);
  return { train: take(trainIndex), heldOut: take(heldOutIndex), trainIndex, heldOutIndex };
}
