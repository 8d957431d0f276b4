import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../io/csv.js";
import { fixturePath } from "../testing/fixtures.js";
import { BALANCED_2X2 } from "../testing/two-way-examples.js";
import { factorCodes, TwoWayDesign, twoWayAnova } from "./anova2.js";
import {
  freedmanLaneInteractionP,
  interactionContrast,
  interactionContrastCi,
  interactionContrastValue,
} from "./interaction-contrast.js";

function mooreLowHigh() {
  const table = parseCsv(readFileSync(fixturePath("tables", "moore.csv"), "utf8"));
  const rows = table.column("fcategory").flatMap((f, i) => (f === "medium" ? [] : [i]));
  const pick = (name: string) => rows.map((i) => table.column(name)[i]!);
  return {
    y: pick("conformity").map(Number),
    a: factorCodes(pick("fcategory")).codes,
    b: factorCodes(pick("partner_status")).codes,
  };
}

test("the contrast is μ11 − μ10 − μ01 + μ00", () => {
  assert.equal(interactionContrastValue(new TwoWayDesign(BALANCED_2X2), BALANCED_2X2.y), 5);
});

test("the within-cell bootstrap CI is seeded and agrees with the plug-in normal interval", () => {
  const design = new TwoWayDesign(BALANCED_2X2);
  const ci = interactionContrastCi(design, BALANCED_2X2.y, { seed: 4 });
  assert.deepEqual(ci, interactionContrastCi(design, BALANCED_2X2.y, { seed: 4 }));
  assert.notDeepEqual(ci, interactionContrastCi(design, BALANCED_2X2.y, { seed: 5 }));
  // Each cell's plug-in variance (divisor n) is 2 here, so SE = √(4 · 2/5) and the normal 95% half-width is 1.96·SE.
  const half = 1.959964 * Math.sqrt((4 * 2) / 5);
  assert.ok(Math.abs(ci[0] - (5 - half)) < 0.15 && Math.abs(ci[1] - (5 + half)) < 0.15, JSON.stringify(ci));
});

test("the Freedman–Lane p of A×B is close to the F test's p on the Moore 2×2 and is seeded", () => {
  const { y, a, b } = mooreLowHigh();
  const design = new TwoWayDesign({ a, b });
  const parametric = twoWayAnova(y, { a, b }).ab.p;
  const p = freedmanLaneInteractionP(design, y, { seed: 1 });
  assert.equal(p, freedmanLaneInteractionP(design, y, { seed: 1 }));
  assert.ok(Math.abs(p - parametric) < 0.008, `${p} vs ${parametric}`);
  // p = (1 + #{F* ≥ F}) / (1 + N): a multiple of 1/10001.
  assert.ok(Math.abs(p * 10_001 - Math.round(p * 10_001)) < 1e-6);
});

test("a purely additive response has a large permutation p, a strong interaction the smallest possible one", () => {
  const design = new TwoWayDesign(BALANCED_2X2);
  const noise = [0.3, -0.1, 0.2, -0.4, 0, 0.1, -0.2, 0.4, -0.3, 0, 0.2, -0.2, 0.1, 0, -0.1, 0.3, -0.3, 0.1, 0, -0.1];
  const additive = BALANCED_2X2.a.map((a, i) => 2 * a + 3 * BALANCED_2X2.b[i]! + noise[i]!);
  assert.ok(freedmanLaneInteractionP(design, additive, { permutations: 2000 }) > 0.2);
  const combined = BALANCED_2X2.a.map((a, i) => 10 * a * BALANCED_2X2.b[i]! + noise[i]!);
  const result = interactionContrast(design, combined, { permutations: 10_000, resamples: 2000 });
  assert.equal(result.pPermutation, 1 / 10_001);
  assert.ok(result.ci95[0] > 9 && result.ci95[1] < 11 && result.ci95[0] < result.value, JSON.stringify(result));
});

test("the contrast needs a 2×2 design", () => {
  const design = new TwoWayDesign({ a: [0, 1, 2, 0, 1, 2, 0], b: [0, 0, 0, 1, 1, 1, 1] });
  assert.throws(() => interactionContrastValue(design, [1, 2, 3, 4, 5, 6, 7]), /needs a 2×2 design, got 3×2/);
});
