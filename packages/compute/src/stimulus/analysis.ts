/**
 * A whole stimulus analysis: validate the design against the study, measure every prompt, analyse the chosen measure
 * (cell means, ANOVA, contrast), discover the features and interaction dimensions each factor moves, and measure the
 * pair contributions of the top A × top B features. The result is plain data (JSON-safe once NaN is turned to null).
 */
import { yieldToEventLoop } from "../progress/yield-to-event-loop.js";
import type { AnovaType } from "../stats/anova2.js";
import { MIN_PERMUTATIONS } from "../stats/interaction-contrast.js";
import { analyseMeasure, type CellStat, cellStats, designOf, type MeasureAnalysis } from "./cell-analysis.js";
import { CELL_KEYS, type CellKey, type StimulusDesign } from "./design.js";
import { type Discovery, discover } from "./discovery.js";
import { measureName, measureValue, NORM_MEASURES, parseMeasure } from "./measure-names.js";
import { measurePrompt, type PromptMeasures, type StimulusModels } from "./measures.js";
import { type PairEffect, pairEffects, topFeatures } from "./pairs.js";
import { checkDesignAgainst } from "./study-check.js";

export interface StimulusOptions {
  /** The measure the cells, ANOVA and contrast are reported for (default interaction_norm). */
  measure?: string;
  anovaType?: AnovaType;
  /** Items reported per effect (default 10). */
  topN?: number;
  /** Top A-features × top B-features whose pair contributions are measured (default 5 each). */
  pairsPerFactor?: number;
  seed?: number;
  permutations?: number;
  resamples?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

/** One measure's per-prompt values and cell statistics, for plotting any of them. */
export interface ChartMeasure {
  measure: string;
  values: number[];
  cells: CellStat[];
}

export interface StimulusResult {
  design: StimulusDesign;
  prompts: { cell: CellKey; prompt: string; tokens: number }[];
  main: MeasureAnalysis;
  discovery: Discovery;
  pairs: PairEffect[];
  /** The main measure, the norms, and every discovered or target feature and dimension. */
  chart: ChartMeasure[];
}

/** Checks the design against the study's models (prompt lengths, targets, the measure); throws DesignError. */
export function checkDesign(models: StimulusModels, design: StimulusDesign, measure: string): void {
  checkDesignAgainst(
    {
      tokenizer: models.model.tokenizer,
      sae: models.sae.cfg,
      maxPositions: models.model.info.maxPositions,
      k: models.nfm.config.interaction?.k ?? 0,
    },
    design,
    measure,
  );
}

/** Runs the analysis; yields to the event loop between prompts so progress reports and heartbeats go out. */
export async function runStimulusAnalysis(
  models: StimulusModels,
  design: StimulusDesign,
  options: StimulusOptions = {},
): Promise<StimulusResult> {
  const measureText = options.measure ?? "interaction_norm";
  const anovaType = options.anovaType ?? 2;
  checkDesign(models, design, measureText);
  const k = models.nfm.config.interaction?.k ?? 0;
  const sizes = { dSae: models.sae.dSae, k };
  const all = CELL_KEYS.flatMap((cell) => design.prompts[cell].map((prompt) => ({ cell, prompt })));
  const measured: PromptMeasures[] = [];
  for (const { cell, prompt } of all) {
    if (options.signal?.aborted)
      throw new Error("the stimulus analysis was cancelled.", { cause: options.signal.reason });
    measured.push(measurePrompt(models, cell, prompt, design.readout));
    options.onProgress?.((0.8 * measured.length) / all.length, `measured ${measured.length}/${all.length} prompts`);
    await yieldToEventLoop();
  }
  const measure = parseMeasure(measureText, sizes);
  const rows = measured.map((p) => ({ cell: p.cell, prompt: p.prompt, value: measureValue(p, measure) }));
  const seed = options.seed ?? 0;
  const main = analyseMeasure(measureName(measure), rows, anovaType, {
    seed,
    permutations: options.permutations ?? MIN_PERMUTATIONS,
    resamples: options.resamples,
  });
  options.onProgress?.(0.85, "analysed the measure");
  const discovery = discover(measured, anovaType, { topN: options.topN, targets: design.targets });
  options.onProgress?.(0.9, `tested ${discovery.tested} features and dimensions`);
  const perFactor = options.pairsPerFactor ?? 5;
  const pairs = pairEffects(models, measured, design.readout, anovaType, {
    a: topFeatures(discovery.discovered, "a", perFactor),
    b: topFeatures(discovery.discovered, "b", perFactor),
  });
  options.onProgress?.(1, "done");
  const design2x2 = designOf(measured.map((p) => p.cell));
  const chartNames = new Set<string>([main.measure, ...NORM_MEASURES]);
  for (const e of [...discovery.discovered, ...discovery.targets]) chartNames.add(`${e.kind}:${e.index}`);
  const chart = [...chartNames].map((name) => {
    const m = parseMeasure(name, sizes);
    const values = measured.map((p) => measureValue(p, m));
    return { measure: name, values, cells: cellStats(design2x2, values) };
  });
  return {
    design,
    prompts: measured.map((p) => ({ cell: p.cell, prompt: p.prompt, tokens: p.tokens })),
    main,
    discovery,
    pairs,
    chart,
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const interval = (ci: [number, number]) => [finite(ci[0]), finite(ci[1])];
const term = (t: { F: number; p: number; partialEta2: number }) => ({
  F: finite(t.F),
  p: finite(t.p),
  partial_eta2: finite(t.partialEta2),
});

const item = (e: { kind: string; index: number; effect: string; value: number; p: number; q: number }) => ({
  kind: e.kind,
  index: e.index,
  effect: e.effect,
  value: finite(e.value),
  p: finite(e.p),
  q: finite(e.q),
});
const cell = (c: CellStat) => ({ cell: c.cell, n: c.n, mean: finite(c.mean), ci95: interval(c.ci95) });

/** The pinned JSON of `interlace stimulus run --json` (NaN and infinities as null). */
export function stimulusResultJson(result: StimulusResult) {
  const { main } = result;
  return {
    measure: main.measure,
    anova_type: main.anovaType,
    values: main.values.map((v) => ({ cell: v.cell, prompt: v.prompt, value: finite(v.value) })),
    cells: main.cells.map(cell),
    anova: { a: term(main.anova.a), b: term(main.anova.b), ab: term(main.anova.ab) },
    contrast: {
      value: finite(main.contrast.value),
      ci95: interval(main.contrast.ci95),
      p_permutation: finite(main.contrast.pPermutation),
    },
    discovered: result.discovery.discovered.map(item),
  };
}

/** Everything a stored analysis keeps: the pinned JSON plus pairs, targets, constant items and the chart data. */
export function stimulusResultRecord(result: StimulusResult) {
  const { discovery } = result;
  return {
    ...stimulusResultJson(result),
    prompts: result.prompts,
    tested: discovery.tested,
    constant_features: discovery.constantFeatures,
    constant_dims: discovery.constantDims,
    constant_targets: discovery.constantTargets,
    targets: discovery.targets.map(item),
    pairs: result.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      contrast: finite(p.contrast),
      p: finite(p.p),
      cells: p.cells.map(cell),
    })),
    chart: result.chart.map((c) => ({ measure: c.measure, values: c.values.map(finite), cells: c.cells.map(cell) })),
  };
}

export type StimulusResultRecord = ReturnType<typeof stimulusResultRecord>;
