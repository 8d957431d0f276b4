/**
 * The statistics of one measure over a design's prompts: cell means with 95% CIs, the two-way ANOVA of the chosen
 * type, and the interaction contrast with its bootstrap CI and Freedman–Lane permutation p.
 */
import { type AnovaTerm, type AnovaType, TwoWayDesign } from "../stats/anova2.js";
import { cellSummaries } from "../stats/cells.js";
import { type InteractionContrast, interactionContrast } from "../stats/interaction-contrast.js";
import { CELL_KEYS, type CellKey, cellLevels } from "./design.js";

export interface CellStat {
  cell: CellKey;
  n: number;
  mean: number;
  ci95: [number, number];
}

export interface MeasureAnalysis {
  measure: string;
  anovaType: AnovaType;
  values: { cell: CellKey; prompt: string; value: number }[];
  cells: CellStat[];
  anova: { a: AnovaTerm; b: AnovaTerm; ab: AnovaTerm };
  contrast: InteractionContrast;
}

/** The 2×2 design of prompts in these cells. */
export function designOf(cells: readonly CellKey[]): TwoWayDesign {
  return new TwoWayDesign({
    a: cells.map((c) => cellLevels(c).a),
    b: cells.map((c) => cellLevels(c).b),
    levelsA: 2,
    levelsB: 2,
  });
}

/** Cell means and CIs, named by cell key (the stats module indexes cells a·2 + b, the order of CELL_KEYS). */
export function cellStats(design: TwoWayDesign, y: ArrayLike<number>): CellStat[] {
  return cellSummaries(design, y).map((s, c) => ({ cell: CELL_KEYS[c]!, n: s.n, mean: s.mean, ci95: s.ci95 }));
}

export function analyseMeasure(
  measure: string,
  rows: readonly { cell: CellKey; prompt: string; value: number }[],
  anovaType: AnovaType,
  options: { seed?: number; permutations?: number; resamples?: number } = {},
): MeasureAnalysis {
  const design = designOf(rows.map((r) => r.cell));
  const y = Float64Array.from(rows, (r) => r.value);
  const table = design.fit(y, anovaType);
  return {
    measure,
    anovaType,
    values: rows.map((r) => ({ ...r })),
    cells: cellStats(design, y),
    anova: { a: table.a, b: table.b, ab: table.ab },
    contrast: interactionContrast(design, y, options),
  };
}
