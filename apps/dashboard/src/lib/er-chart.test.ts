import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ChartedModel,
  ER_CHART_ROW_HEIGHT,
  erChartLines,
  erChartSummary,
  erDomain,
  erTickDigits,
} from "./er-chart";

const model = (group: ChartedModel["group"], name: string, er: number, ci95: number[] = [er, er]): ChartedModel => ({
  group,
  name,
  shuffledTargets: name === "permutation_null",
  er,
  ci95,
});

const models: ChartedModel[] = [
  model("NFM", "full", 0.25, [0.2, 0.3]),
  model("CONTROLS", "linear_f", 0.2, [0.15, 0.22]),
  model("CONTROLS", "permutation_null", -0.004, [-0.01, 0.002]),
];

test("each model is charted under its group's label, groups in the order given", () => {
  const { lines, height } = erChartLines(models);
  assert.deepEqual(
    lines.map((line) => (line.kind === "group" ? `# ${line.label}` : line.model.name)),
    ["# NFM variants", "full", "# Controls", "linear_f", "permutation_null"],
  );
  assert.equal(height, 5 * ER_CHART_ROW_HEIGHT);
  assert.equal(lines[0]?.y, ER_CHART_ROW_HEIGHT / 2);
});

test("a group without models takes no space", () => {
  const { lines } = erChartLines([model("CONTROLS", "linear_f", 0.1)]);
  assert.deepEqual(
    lines.map((line) => line.kind),
    ["group", "model"],
  );
  assert.deepEqual(erChartLines([]), { lines: [], height: 0 });
});

test("the axis always includes 0 and every CI bound", () => {
  const [lo, hi] = erDomain(models);
  assert.ok(lo < -0.01 && lo > -0.05, `lo ${lo}`);
  assert.ok(hi > 0.3 && hi < 0.35, `hi ${hi}`);
  assert.deepEqual(erDomain([model("NFM", "full", 0.5)]), [0, 0.525]);
  const [allNegativeLo, allNegativeHi] = erDomain([model("NFM", "full", -0.4, [-0.5, -0.3])]);
  assert.ok(allNegativeLo < -0.5 && allNegativeHi > 0, "0 stays on an all-negative axis");
  assert.deepEqual(erDomain([]), [0, 0.05]);
});

test("the summary names every charted model with its ER", () => {
  assert.equal(
    erChartSummary(models),
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
