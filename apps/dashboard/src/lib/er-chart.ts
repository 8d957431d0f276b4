// Layout and wording of the error-reduction chart: one row per model, under its group's label.
import type { ModelFitFieldsFragment, ModelGroup } from "@interlace/schema";
import { formatPercent } from "./format";
import { groupModels } from "./model-groups";

export type ChartedModel = Pick<ModelFitFieldsFragment, "name" | "group" | "shuffledTargets" | "er" | "ci95">;

export type ErChartLine =
  | { kind: "group"; group: ModelGroup; label: string; y: number }
  | { kind: "model"; model: ChartedModel; y: number };

export const ER_CHART_ROW_HEIGHT = 24;

/** Lines top to bottom (each y is the line's centre) and the height they take. */
export function erChartLines(models: readonly ChartedModel[]): { lines: ErChartLine[]; height: number } {
  const lines: ErChartLine[] = [];
  let y = ER_CHART_ROW_HEIGHT / 2;
  for (const { group, label, models: members } of groupModels(models)) {
    lines.push({ kind: "group", group, label, y });
    y += ER_CHART_ROW_HEIGHT;
    for (const model of members) {
      lines.push({ kind: "model", model, y });
      y += ER_CHART_ROW_HEIGHT;
    }
  }
  return { lines, height: y - ER_CHART_ROW_HEIGHT / 2 };
}

/** The ER axis: every point and CI bound, and always 0, with a little room either side. */
export function erDomain(models: readonly ChartedModel[]): [number, number] {
  const values = [0, ...models.flatMap((model) => [model.er, ...model.ci95])];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const pad = (hi - lo || 1) * 0.05;
  return [lo === 0 ? 0 : lo - pad, hi + pad];
}

/** The chart's accessible name: what it shows and each model's ER. */
export function erChartSummary(models: readonly ChartedModel[]): string {
  if (models.length === 0) return "Error reduction chart: no model results in this study's report.";
  const values = models.map(({ name, er }) => `${name} ${formatPercent(er, 2)}`).join(", ");
  return `Error reduction of the SAE residual on held-out rows, with 95% confidence intervals and a line at 0: ${values}.`;
}

/** Decimals of the axis' percent ticks, enough to tell neighbouring ticks apart. */
export function erTickDigits([lo, hi]: readonly number[]): number {
  const span = (hi ?? 0) - (lo ?? 0);
  if (span >= 0.1) return 0;
  return span >= 0.01 ? 1 : 2;
}
