import assert from "node:assert/strict";
import { test } from "node:test";
import { chartedModels, ER_CHART_ROW_HEIGHT, erChartLines, erChartSummary, erDomain, erTickDigits } from "./er-chart";
import type { ModelRow } from "./report-types";

const row = (group: ModelRow["group"], key: string, er: number | null, ci95: [number, number] | null = null) => ({
  group,
  key,
  description: key,
  result: er === null ? null : { er, ci95, seeds: [], parameters: null },
});

const rows: ModelRow[] = [
  row("nfm", "full", 0.25, [0.2, 0.3]),
  row("nfm", "interaction_only", null),
  row("controls", "linear_f", 0.2, [0.15, 0.22]),
  row("controls", "permutation_null", -0.004, [-0.01, 0.002]),
];

test("only models with a result are charted, each group under its label", () => {
  const { lines, height } = erChartLines(chartedModels(rows));
  assert.deepEqual(
    lines.map((line) => (line.kind === "group" ? `# ${line.label}` : line.model.key)),
    ["# NFM variants", "full", "# Controls", "linear_f", "permutation_null"],
  );
  assert.equal(height, 5 * ER_CHART_ROW_HEIGHT);
  assert.equal(lines[0]?.y, ER_CHART_ROW_HEIGHT / 2);
});

test("a group without results takes no space", () => {
  const { lines } = erChartLines(chartedModels([row("controls", "linear_f", 0.1)]));
  assert.deepEqual(
    lines.map((line) => line.kind),
    ["group", "model"],
  );
  assert.deepEqual(erChartLines([]), { lines: [], height: 0 });
});

test("the axis always includes 0 and every CI bound", () => {
  const [lo, hi] = erDomain(chartedModels(rows));
  assert.ok(lo < -0.01 && lo > -0.05, `lo ${lo}`);
  assert.ok(hi > 0.3 && hi < 0.35, `hi ${hi}`);
  assert.deepEqual(erDomain(chartedModels([row("nfm", "full", 0.5)])), [0, 0.525]);
  const [allNegativeLo, allNegativeHi] = erDomain(chartedModels([row("nfm", "full", -0.4, [-0.5, -0.3])]));
  assert.ok(allNegativeLo < -0.5 && allNegativeHi > 0, "0 stays on an all-negative axis");
  assert.deepEqual(erDomain([]), [0, 0.05]);
});

test("the summary names every charted model with its ER", () => {
  assert.equal(
    erChartSummary(chartedModels(rows)),
    "Error reduction of the SAE residual on held-out rows, with 95% confidence intervals and a line at 0: " +
      "full 25.00%, linear_f 20.00%, permutation_null -0.40%.",
  );
  assert.match(erChartSummary([]), /no model results/);
});

test("axis ticks get more decimals as the axis narrows", () => {
  assert.equal(erTickDigits([-0.1, 0.7]), 0);
  assert.equal(erTickDigits([-0.01, 0.04]), 1);
  assert.equal(erTickDigits([-0.002, 0.003]), 2);
});
