/**
 * The interaction contrast of a 2×2 design, μ11 − μ10 − μ01 + μ00 (how much more the combination moves y than the
 * sum of the two single changes), with a seeded percentile-bootstrap 95% CI that resamples within each cell, and a
 * Freedman–Lane permutation p-value for A×B: fit y ~ A + B, permute its residuals across all observations, add its
 * fitted values back, and recompute the F of A×B; p = (1 + #{F* ≥ F_obs}) / (1 + N).
 */
import { isConstant, type TwoWayDesign } from "./anova2.js";
import { percentileInterval } from "./bootstrap.js";
import { createRng, permutation } from "./rng.js";

export interface InteractionContrast {
  value: number;
  ci95: [number, number];
  pPermutation: number;
}

export interface InteractionContrastOptions {
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  /** Permutations of the Freedman–Lane test (default 10,000). */
  permutations?: number;
  seed?: number;
}

/** The default number of permutations (the least the product reports with). */
export const MIN_PERMUTATIONS = 10_000;

function check2x2(design: TwoWayDesign): void {
  if (design.levelsA !== 2 || design.levelsB !== 2) {
    throw new Error(`the interaction contrast needs a 2×2 design, got ${design.levelsA}×${design.levelsB}.`);
  }
}

function contrastOfMeans(means: ArrayLike<number>): number {
  return means[3]! - means[2]! - means[1]! + means[0]!;
}

/** μ11 − μ10 − μ01 + μ00 of y. */
export function interactionContrastValue(design: TwoWayDesign, y: ArrayLike<number>): number {
  check2x2(design);
  const sums = new Float64Array(4);
  for (let i = 0; i < design.n; i++) sums[design.cellOf[i]!]! += y[i]!;
  return contrastOfMeans(sums.map((s, c) => s / design.cellCounts[c]!));
}

/** Percentile-bootstrap CI of the contrast, resampling each cell's observations within that cell. */
export function interactionContrastCi(
  design: TwoWayDesign,
  y: ArrayLike<number>,
  options: { resamples?: number; seed?: number; level?: number } = {},
): [number, number] {
  check2x2(design);
  const resamples = options.resamples ?? 10_000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap resamples must be a positive integer, got ${resamples}.`);
  }
  const members: number[][] = [[], [], [], []];
  for (let i = 0; i < design.n; i++) members[design.cellOf[i]!]!.push(y[i]!);
  const rng = createRng(options.seed ?? 0);
  const samples = new Float64Array(resamples);
  const means = new Float64Array(4);
  for (let r = 0; r < resamples; r++) {
    members.forEach((values, c) => {
      let sum = 0;
      for (let j = 0; j < values.length; j++) sum += values[rng.int(values.length)]!;
      means[c] = sum / values.length;
    });
    samples[r] = contrastOfMeans(means);
  }
  return percentileInterval(samples, options.level ?? 0.95);
}

/** Freedman–Lane permutation p-value of the A×B F statistic. */
export function freedmanLaneInteractionP(
  design: TwoWayDesign,
  y: ArrayLike<number>,
  options: { permutations?: number; seed?: number } = {},
): number {
  const permutations = options.permutations ?? MIN_PERMUTATIONS;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new Error(`permutations must be a positive integer, got ${permutations}.`);
  }
  const n = design.n;
  const scratch = new Float64Array(n);
  if (isConstant(y)) return Number.NaN;
  const observed = design.interactionF(y, scratch);
  if (Number.isNaN(observed)) return Number.NaN;
  const fitted = design.additive.fitted(y);
  const residuals = Float64Array.from({ length: n }, (_, i) => y[i]! - fitted[i]!);
  const rng = createRng(options.seed ?? 0);
  const permuted = new Float64Array(n);
  const tolerance = 1e-12 * Math.max(1, Math.abs(observed));
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    const order = permutation(n, rng);
    for (let i = 0; i < n; i++) permuted[i] = fitted[i]! + residuals[order[i]!]!;
    if (design.interactionF(permuted, scratch) >= observed - tolerance) atLeast++;
  }
  return (1 + atLeast) / (1 + permutations);
}

/** The contrast, its bootstrap CI and its permutation p-value (same seed for both resampling schemes). */
export function interactionContrast(
  design: TwoWayDesign,
  y: ArrayLike<number>,
  options: InteractionContrastOptions = {},
): InteractionContrast {
  const seed = options.seed ?? 0;
  return {
    value: interactionContrastValue(design, y),
    ci95: interactionContrastCi(design, y, { resamples: options.resamples, seed }),
    pPermutation: freedmanLaneInteractionP(design, y, { permutations: options.permutations, seed: seed + 1 }),
  };
}
