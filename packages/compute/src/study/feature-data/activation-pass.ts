/**
 * The passes over the held-out rows of an activation store that every feature's activation statistics come from.
 * Rows stream through shard by shard, a chunk of whole windows at a time (encoded by the SAE in one call), so memory
 * depends on the SAE's width and the limits, never on the store's size: per feature the counters, its top contexts,
 * its sampled contexts, its histograms, plus one dSae × dSae table of co-activation counts.
 */
import type { Sae } from "../../sae/sae.js";
import { createRng } from "../../stats/rng.js";
import type { ActivationStore, RowSelection } from "../../store/reader.js";
import { positiveBin } from "./bins.js";
import { type Chunk, SpillFile } from "./spill.js";
import type { FeatureDataLimits } from "./types.js";

/** Rows encoded per SAE call (rounded down to whole windows). */
const CHUNK_ROWS = 2048;
/** The widest SAE whose co-activation table (dSae² counts of 4 bytes) is kept: 256 MiB. */
export const MAX_CO_ACTIVATION_FEATURES = 8192;

/** A context around one store row, with token ids (turned into strings when the data is assembled). */
export interface ContextExample {
  row: number;
  value: number;
  tokens: Int32Array;
  values: Float32Array;
  position: number;
}

export interface ActivationPassInput {
  store: ActivationStore;
  sae: Sae;
  selection: RowSelection;
  /** At most this many selected rows, the first in store order (default all). */
  maxRows?: number;
  limits: FeatureDataLimits;
  /** Fixes which examples are drawn from each interval. */
  seed: number;
  signal?: AbortSignal;
  /** Fraction of both passes done. */
  onProgress?: (fraction: number) => void;
}

export interface ActivationStats {
  /** Selected (held-out) rows seen. */
  rows: number;
  fires: Float64Array;
  sum: Float64Array;
  max: Float64Array;
  /** Per feature, the strongest contexts (one per window), strongest first. */
  top: ContextExample[][];
  /** [dSae × histogramBins] counts of non-zero activations in equal-width bins over (0, max]. */
  histogram: Uint32Array;
  /** [dSae × quantileGroups] counts per interval. */
  groupCounts: Uint32Array;
  /** [dSae × quantileGroups] seeded samples, in the order drawn. */
  groups: ContextExample[][];
  /** Tokens on which both a and b fire. */
  coCount(a: number, b: number): number;
}

/** Encodes the store's selected rows chunk by chunk (only chunks holding a selected row), in store order. */
function* chunks(input: ActivationPassInput, progressShare: number): Generator<Chunk> {
  const { store, sae } = input;
  const { d, context } = store.manifest;
  const windowRows = Math.max(context, Math.floor(CHUNK_ROWS / context) * context);
  const shardCount = store.manifest.shards.length;
  let shardIndex = 0;
  for (const { start, rows, selected, count } of store.scanShards(input.selection, input.maxRows)) {
    if (input.signal?.aborted) throw new Error("Feature data cancelled.", { cause: input.signal.reason });
    const total = rows.docs.length;
    for (let from = 0; count > 0 && from < total; from += windowRows) {
      const n = Math.min(windowRows, total - from);
      if (!selected.subarray(from, from + n).includes(1)) continue;
      const f = sae.encode(rows.x.subarray(from * d, (from + n) * d));
      const tokens = rows.tokens.subarray(from, from + n);
      yield { f, from, n, shardStart: start, tokens, selected: selected.subarray(from, from + n) };
    }
    shardIndex += 1;
    input.onProgress?.((progressShare * shardIndex) / shardCount);
  }
}

/**
 * The context of chunk row `local` (shard-local) for feature `feature`, within the row's window. The store's last
 * window may be cut short (a harvest of N tokens ends mid-window when N is not a multiple of the context), so the
 * context also ends at the chunk's last row.
 */
function contextOf(
  chunk: Chunk,
  local: number,
  feature: number,
  m: number,
  input: ActivationPassInput,
): ContextExample {
  const { context } = input.store.manifest;
  const windowStart = local - (local % context);
  const lo = Math.max(windowStart, local - input.limits.contextBefore);
  const hi = Math.min(windowStart + context, local + input.limits.contextAfter + 1, chunk.from + chunk.n);
  const values = new Float32Array(hi - lo);
  for (let q = lo; q < hi; q++) values[q - lo] = chunk.f[(q - chunk.from) * m + feature]!;
  return {
    row: chunk.shardStart + local,
    value: chunk.f[(local - chunk.from) * m + feature]!,
    tokens: chunk.tokens.slice(lo - chunk.from, hi - chunk.from),
    values,
    position: local - lo,
  };
}

/** a ranks before b: larger value, then earlier row. */
const stronger = (value: number, row: number, than: ContextExample) =>
  value > than.value || (value === than.value && row < than.row);

/** Inserts into a list kept strongest first and at most `size` long, when the candidate belongs there. */
function offerTop(list: ContextExample[], size: number, value: number, row: number, make: () => ContextExample): void {
  if (list.length === size && !stronger(value, row, list[size - 1]!)) return;
  let at = list.length;
  while (at > 0 && stronger(value, row, list[at - 1]!)) at--;
  list.splice(at, 0, make());
  if (list.length > size) list.pop();
}

/**
 * One streaming pass over the store, encoding each row once: it counts firings, sums, maxima and co-activations,
 * keeps each feature's top contexts (one per window) and spills the sparse codes to a temporary file; a second sweep
 * over that file, knowing each maximum, fills the histograms over (0, max] and draws seeded samples (reservoir
 * sampling) from each interval.
 */
export function activationPass(input: ActivationPassInput): ActivationStats {
  const m = input.sae.dSae;
  const { limits } = input;
  if (m > MAX_CO_ACTIVATION_FEATURES) {
    throw new Error(
      `feature data keeps a ${m} × ${m} co-activation table; SAEs up to ${MAX_CO_ACTIVATION_FEATURES} features are supported.`,
    );
  }
  const { context } = input.store.manifest;
  const fires = new Float64Array(m);
  const sum = new Float64Array(m);
  const max = new Float64Array(m);
  const co = new Uint32Array(m * m);
  const top: ContextExample[][] = Array.from({ length: m }, () => []);
  const windowBest = new Float32Array(m);
  const windowRow = new Int32Array(m);
  const touched: number[] = [];
  const active: number[] = [];
  let rows = 0;

  const spill = new SpillFile(m);
  try {
    return sweeps();
  } finally {
    spill.dispose();
  }

  function sweeps(): ActivationStats {
    let spilled = 0;
    for (const chunk of chunks(input, 0.8)) {
      spill.write(chunk);
      spilled += chunk.n;
      for (let w = chunk.from; w < chunk.from + chunk.n; w += context) {
        for (let local = w; local < w + context && local < chunk.from + chunk.n; local++) {
          if (!chunk.selected[local - chunk.from]) continue;
          rows += 1;
          active.length = 0;
          const base = (local - chunk.from) * m;
          for (let i = 0; i < m; i++) {
            const v = chunk.f[base + i]!;
            if (!(v > 0)) continue;
            active.push(i);
            fires[i]! += 1;
            sum[i]! += v;
            if (v > max[i]!) max[i] = v;
            if (windowBest[i] === 0) touched.push(i);
            if (v > windowBest[i]!) {
              windowBest[i] = v;
              windowRow[i] = local;
            }
          }
          for (let x = 0; x < active.length; x++) {
            const row = active[x]! * m;
            for (let y = x + 1; y < active.length; y++) co[row + active[y]!]! += 1;
          }
        }
        for (const i of touched) {
          const local = windowRow[i]!;
          offerTop(top[i]!, limits.topExamples, windowBest[i]!, chunk.shardStart + local, () =>
            contextOf(chunk, local, i, m, input),
          );
          windowBest[i] = 0;
        }
        touched.length = 0;
      }
    }

    const bins = limits.histogramBins;
    const groupsPer = limits.quantileGroups;
    const size = limits.examplesPerGroup;
    const histogram = new Uint32Array(m * bins);
    const groupCounts = new Uint32Array(m * groupsPer);
    const groups: ContextExample[][] = Array.from({ length: m * groupsPer }, () => []);
    const rng = createRng(input.seed);
    let read = 0;
    for (const chunk of spill.read()) {
      read += chunk.n;
      input.onProgress?.(0.8 + (0.2 * read) / spilled);
      for (let local = chunk.from; local < chunk.from + chunk.n; local++) {
        if (!chunk.selected[local - chunk.from]) continue;
        const base = (local - chunk.from) * m;
        for (let i = 0; i < m; i++) {
          const v = chunk.f[base + i]!;
          if (!(v > 0)) continue;
          histogram[i * bins + positiveBin(v, max[i]!, bins)]! += 1;
          const g = i * groupsPer + positiveBin(v, max[i]!, groupsPer);
          groupCounts[g]! += 1;
          const seen = groupCounts[g]!;
          const sample = groups[g]!;
          if (seen <= size) sample.push(contextOf(chunk, local, i, m, input));
          else {
            const j = rng.int(seen);
            if (j < size) sample[j] = contextOf(chunk, local, i, m, input);
          }
        }
      }
    }

    return {
      rows,
      fires,
      sum,
      max,
      top,
      histogram,
      groupCounts,
      groups,
      coCount: (a, b) => (a === b ? fires[a]! : co[Math.min(a, b) * m + Math.max(a, b)]!),
    };
  }
}
