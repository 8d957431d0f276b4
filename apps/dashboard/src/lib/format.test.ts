import assert from "node:assert/strict";
import { test } from "node:test";
import {
  displayToken,
  formatCi95,
  formatDate,
  formatDensity,
  formatLog10Tick,
  formatNumber,
  formatPercent,
  formatPercentInterval,
} from "./format";

test("missing metrics show a dash, present ones a percentage", () => {
  assert.equal(formatPercent(null), "—");
  assert.equal(formatPercent(Number.NaN), "—");
  assert.equal(formatPercent(0.91234), "91.2%");
  assert.equal(formatNumber(12.3456), "12.35");
  assert.equal(formatNumber(undefined), "—");
});

test("densities switch to scientific notation below one percent", () => {
  assert.equal(formatDensity(0.25), "25.00%");
  assert.equal(formatDensity(0.00123), "1.23e-3");
  assert.equal(formatDensity(0), "0");
});

test("the confidence interval needs exactly two bounds", () => {
  assert.equal(formatCi95([0.1, 0.152]), "95% CI 10.0% to 15.2%");
  assert.equal(formatCi95([0.1]), "no 95% CI");
  assert.equal(formatCi95(null), "no 95% CI");
});

test("an interval reads as two percentages in brackets", () => {
  assert.equal(formatPercentInterval([-0.0012, 0.0345]), "[-0.12%, 3.45%]");
  assert.equal(formatPercentInterval([0.1, 0.2], 0), "[10%, 20%]");
  assert.equal(formatPercentInterval(null), "—");
  assert.equal(formatPercentInterval([0.1]), "—", "a malformed interval shows a dash");
});

test("log10 ticks read as densities", () => {
  assert.equal(formatLog10Tick(-3), "0.001");
  assert.equal(formatLog10Tick(0), "1");
  assert.equal(formatLog10Tick(-2.5), "0.0032");
});

test("tokens keep their spaces and show line breaks", () => {
  assert.equal(displayToken(" the\n"), " the↵");
  assert.equal(formatDate("2026-01-02T03:04:05.000Z"), "2026-01-02 03:04");
  assert.equal(formatDate("yesterday"), "yesterday");
});
