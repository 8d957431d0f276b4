/**
 * Which pair carries the combination effect: for the top A-features × top B-features, the NFM's contribution of each
 * pair (pairContributionRows: the exact change of the NFM's output when the pair's BI term is removed) on every
 * prompt's tokens, read out as the design says, then the same 2×2 statistics as any measure.
 */

import { pairContributionRows } from "../nfm/pair-contribution.js";
import type { AnovaType } from "../stats/anova2.js";
import type { CellStat } from "./cell-analysis.js";
import { cellStats, designOf } from "./cell-analysis.js";
import type { Readout } from "./design.js";
import type { ItemEffect } from "./discovery.js";
import { type PromptMeasures, readoutRows, type StimulusModels } from "./measures.js";

export interface PairEffect {
  a: number;
  b: number;
  cells: CellStat[];
  /** μ11 − μ10 − μ01 + μ00 of the pair's contribution. */
  contrast: number;
  /** The ANOVA p of A×B for the pair's contribution (NaN when it is constant, e.g. never active). */
  p: number;
}

/** The top `perFactor` features of an effect among the discovered ones. */
export function topFeatures(discovered: readonly ItemEffect[], effect: "a" | "b", perFactor: number): number[] {
  return discovered
    .filter((e) => e.kind === "feature" && e.effect === effect)
    .slice(0, perFactor)
    .map((e) => e.index);
}

export function pairEffects(
  models: StimulusModels,
  prompts: readonly PromptMeasures[],
  readout: Readout,
  anovaType: AnovaType,
  features: { a: readonly number[]; b: readonly number[] },
): PairEffect[] {
  const pairs = features.a.flatMap((a) => features.b.filter((b) => b !== a).map((b) => ({ a, b })));
  if (pairs.length === 0) return [];
  const values = prompts.map((p) =>
    readoutRows(pairContributionRows(models.nfm, p.codes, p.tokens, pairs), pairs.length, p.positions, readout),
  );
  const design = designOf(prompts.map((p) => p.cell));
  return pairs
    .map(({ a, b }, j) => {
      const y = Float64Array.from(values, (v) => v[j]!);
      const cells = cellStats(design, y);
      const [m00, m01, m10, m11] = cells.map((c) => c.mean) as [number, number, number, number];
      return { a, b, cells, contrast: m11 - m10 - m01 + m00, p: design.fit(y, anovaType).ab.p };
    })
    .sort((x, y) => (Number.isNaN(x.p) ? 1 : Number.isNaN(y.p) ? -1 : x.p - y.p));
}
