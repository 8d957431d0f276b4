/**
 * Bootstrap confidence intervals over rows. Every statistic here is a ratio of sums over rows (relative error
 * reduction), so a resample is a multiset of row indices and the statistic is recomputed from per-row sums.
 */
import { createRng } from "./rng.js";

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Seed of the resampling RNG (default 0). */
  seed?: number;
  /** Two-sided coverage (default 0.95). */
  level?: number;
  /**
   * Cluster id of each row (e.g. its context window or document). When given, whole clusters are resampled, so
   * correlated rows (tokens of one window) do not make the interval falsely narrow.
   */
  groups?: Int32Array;
}

export interface Estimate {
  value: number;
  ci95: [number, number];
}

/** The (1 − level)/2 and (1 + level)/2 quantiles of `samples` (sorted in place), linear interpolation. */
export function percentileInterval(samples: Float64Array, level: number): [number, number] {
  samples.sort();
  const at = (q: number): number => {
    const pos = q * (samples.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, samples.length - 1);
    return samples[lo]! + (samples[hi]! - samples[lo]!) * (pos - lo);
  };
  return [at((1 - level) / 2), at((1 + level) / 2)];
}

/**
 * Percentile bootstrap of a statistic computed from resampled row indices. `statistic(counts)` receives how many
 * times each row was drawn (counts[i] ≥ 0, summing to n) and returns the statistic of that resample.
 */
export function bootstrapRows(
  n: number,
  statistic: (counts: Uint32Array | null) => number,
  options: BootstrapOptions = {},
): Estimate {
  if (!Number.isInteger(n) || n < 2) throw new Error(`bootstrap needs at least 2 rows, got ${n}; evaluate more rows.`);
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 0);
  const samples = new Float64Array(resamples);
  const counts = new Uint32Array(n);
  const clusters = options.groups ? clusterMembers(options.groups, n) : null;
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    if (clusters) {
      for (let g = 0; g < clusters.length; g++) {
        for (const row of clusters[rng.int(clusters.length)]!) counts[row]!++;
      }
    } else {
      for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
    }
    samples[b] = statistic(counts);
  }
  return { value: statistic(null), ci95: percentileInterval(samples, level) };
}

function clusterMembers(groups: Int32Array, n: number): number[][] {
  if (groups.length !== n) {
    throw new Error(`bootstrap groups has ${groups.length} entries for ${n} rows; give one cluster id per row.`);
  }
  const byId = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const members = byId.get(groups[i]!);
    if (members) members.push(i);
    else byId.set(groups[i]!, [i]);
  }
  return [...byId.values()];
}

function weightedSum(values: Float64Array | Float32Array, counts: Uint32Array | null): number {
  let sum = 0;
  if (counts === null) for (let i = 0; i < values.length; i++) sum += values[i]!;
  else for (let i = 0; i < values.length; i++) sum += values[i]! * counts[i]!;
  return sum;
}

/** Per-row squared norms: what error reduction is computed from. */
export interface RowErrors {
  /** ‖r − ŷ‖² per held-out row. */
  residual: Float64Array | Float32Array;
  /** ‖r‖² per held-out row (the target's energy). */
  total: Float64Array | Float32Array;
}

function checkRows(name: string, rows: RowErrors): void {
  if (rows.residual.length !== rows.total.length) {
    throw new Error(
      `${name}: residual has ${rows.residual.length} rows but total has ${rows.total.length}; pass per-row sums of the same rows.`,
    );
  }
}

/** Relative error reduction ER = 1 − Σ‖r − ŷ‖² / Σ‖r‖² of a resample. */
export function errorReductionOf(rows: RowErrors, counts: Uint32Array | null = null): number {
  return 1 - weightedSum(rows.residual, counts) / weightedSum(rows.total, counts);
}

/** ER with a percentile-bootstrap CI over rows. */
export function errorReductionCi(rows: RowErrors, options: BootstrapOptions = {}): Estimate {
  checkRows("errorReductionCi", rows);
  return bootstrapRows(rows.total.length, (counts) => errorReductionOf(rows, counts), options);
}

/**
 * ER(a) − ER(b) with a paired bootstrap CI: both models are evaluated on the same resampled rows, so the interval
 * reflects the difference, not two independent noises.
 */
export function errorReductionGainCi(a: RowErrors, b: RowErrors, options: BootstrapOptions = {}): Estimate {
  checkRows("errorReductionGainCi (a)", a);
  checkRows("errorReductionGainCi (b)", b);
  if (a.total.length !== b.total.length) {
    throw new Error(
      `errorReductionGainCi: model a has ${a.total.length} rows, b has ${b.total.length}; evaluate both on the same held-out rows.`,
    );
  }
  return bootstrapRows(a.total.length, (counts) => errorReductionOf(a, counts) - errorReductionOf(b, counts), options);
}

/** Averages per-row residuals over seeds (ER of the average equals the average ER, since ER is linear in Σ residual). */
export function averageRowErrors(runs: readonly RowErrors[]): RowErrors {
  const first = runs[0];
  if (!first) throw new Error("averageRowErrors: no runs given; pass at least one seed's row errors.");
  const residual = new Float64Array(first.residual.length);
  for (const run of runs) {
    checkRows("averageRowErrors", run);
    if (run.residual.length !== residual.length) {
      throw new Error("averageRowErrors: runs cover different numbers of rows; evaluate every seed on the same rows.");
    }
    for (let i = 0; i < residual.length; i++) residual[i]! += run.residual[i]! / runs.length;
  }
  return { residual, total: first.total };
}
