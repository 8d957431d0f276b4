// Reading a stored stimulus analysis for display: its chart data, the link of each discovered item, and a plain
// sentence on what the interaction contrast shows.

export interface ChartCell {
  cell: string;
  n: number;
  mean: number | null;
  ci95: (number | null)[];
}

export interface ChartMeasure {
  measure: string;
  values: (number | null)[];
  cells: ChartCell[];
}

export interface ChartData {
  values: { cell: string; prompt: string; value: number | null }[];
  prompts: { cell: string; prompt: string; tokens: number }[];
  chart: ChartMeasure[];
  pairs: { a: number; b: number; contrast: number | null; p: number | null }[];
  constant_features: number[];
  constant_targets: number[];
  tested: number;
}

/** The analysis's chart JSON, or null when it is not there (not finished) or not of this shape. */
export function chartData(chart: unknown): ChartData | null {
  if (typeof chart !== "object" || chart === null) return null;
  const c = chart as Partial<ChartData>;
  if (!Array.isArray(c.chart) || !Array.isArray(c.prompts)) return null;
  return {
    values: c.values ?? [],
    prompts: c.prompts,
    chart: c.chart,
    pairs: c.pairs ?? [],
    constant_features: c.constant_features ?? [],
    constant_targets: c.constant_targets ?? [],
    tested: c.tested ?? 0,
  };
}

/** Where a discovered item is explained: a feature page or an interaction dimension's page. */
export function itemHref(studyId: string, kind: string, index: number): string {
  const base = `/studies/${encodeURIComponent(studyId)}`;
  return kind === "k_dim" ? `${base}/k/${index}` : `${base}/features/${index}`;
}

export function pairHref(studyId: string, a: number, b: number): string {
  return `/studies/${encodeURIComponent(studyId)}/interactions/${Math.min(a, b)}-${Math.max(a, b)}`;
}

export function itemLabel(kind: string, index: number): string {
  return kind === "k_dim" ? `interaction dimension ${index}` : `feature ${index}`;
}

function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return Math.abs(x) >= 100 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(2) : x.toFixed(3);
}

export const formatStat = num;

/** p-values: 4 significant digits, or "< 0.0001". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "—";
  return p < 1e-4 ? "< 0.0001" : p.toPrecision(2);
}

/** One plain sentence on the contrast: its size, its CI, whether it excludes 0, and the permutation p. */
export function contrastSentence(
  contrast: { value: number | null; ci95: (number | null)[]; pPermutation: number | null } | null,
  names: { a: string; b: string; measure: string },
): string {
  if (!contrast || contrast.value === null) return "The contrast could not be computed (the measure is constant).";
  const [lo, hi] = contrast.ci95;
  const both = `${names.a} and ${names.b} together`;
  const ci = `95% CI ${num(lo)} to ${num(hi)}`;
  const p = `permutation p = ${formatP(contrast.pPermutation)}`;
  if (lo !== null && lo !== undefined && lo > 0) {
    return `With ${both}, ${names.measure} is ${num(contrast.value)} higher than the sum of their separate effects predicts (${ci}, ${p}): the combination adds something of its own.`;
  }
  if (hi !== null && hi !== undefined && hi < 0) {
    return `With ${both}, ${names.measure} is ${num(Math.abs(contrast.value))} lower than the sum of their separate effects predicts (${ci}, ${p}): the effects partly cancel.`;
  }
  return `The interaction contrast of ${names.measure} is ${num(contrast.value)} (${ci}, ${p}): the interval includes 0, so these prompts show no evidence that ${both} do more (or less) than the sum of their separate effects.`;
}
