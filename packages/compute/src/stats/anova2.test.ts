import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../io/csv.js";
import { fixturePath } from "../testing/fixtures.js";
import { BALANCED_2X2 as BALANCED } from "../testing/two-way-examples.js";
import { type AnovaTerm, factorCodes, TwoWayDesign, twoWayAnova } from "./anova2.js";

function moore(keep: (fcategory: string) => boolean = () => true) {
  const table = parseCsv(readFileSync(fixturePath("tables", "moore.csv"), "utf8"));
  const rows = table.column("fcategory").flatMap((f, i) => (keep(f) ? [i] : []));
  const pick = (name: string) => rows.map((i) => table.column(name)[i]!);
  return {
    y: pick("conformity").map(Number),
    a: factorCodes(pick("fcategory")).codes,
    b: factorCodes(pick("partner_status")).codes,
  };
}

function near(actual: AnovaTerm, expected: { ss?: number; F: number; p: number; partialEta2?: number }, label: string) {
  for (const key of ["ss", "F", "p", "partialEta2"] as const) {
    const want = expected[key];
    if (want === undefined) continue;
    assert.ok(
      Math.abs(actual[key] - want) <= 5e-5 * Math.max(1, Math.abs(want)),
      `${label} ${key}: ${actual[key]} vs ${want}`,
    );
  }
}

// Published tables for carData::Moore, conformity ~ fcategory * partner.status (car::Anova documentation; Fox,
// Applied Regression Analysis, 3rd ed., §8.2): residual SS 817.76 on 39 df.
test("type II ANOVA of the unbalanced Moore data matches car::Anova", () => {
  const { y, a, b } = moore();
  const table = twoWayAnova(y, { a, b }, 2);
  assert.equal(table.residual.df, 39);
  assert.ok(Math.abs(table.residual.ss - 817.764) < 1e-3);
  near(table.a, { ss: 11.6147, F: 0.277, p: 0.759564 }, "fcategory");
  near(table.b, { ss: 212.2138, F: 10.1207, p: 0.002874 }, "partner.status");
  near(table.ab, { ss: 175.4889, F: 4.1846, p: 0.022572 }, "interaction");
});

test("type III ANOVA (sum-to-zero contrasts) of the Moore data matches car::Anova", () => {
  const { y, a, b } = moore();
  const table = twoWayAnova(y, { a, b }, 3);
  near(table.a, { ss: 36.0187, F: 0.8589, p: 0.431492 }, "fcategory");
  near(table.b, { ss: 239.5624, F: 11.425, p: 0.001657 }, "partner.status");
  near(table.ab, { ss: 175.4889, F: 4.1846, p: 0.022572 }, "interaction");
});

// Independent reference: python3 + numpy least squares (np.linalg.lstsq on sum-coded designs, nested-model RSS
// differences) and scipy.stats.f.sf, on the Moore data restricted to fcategory low/high (a 2×2 with cells 7/7/9/7… ).
test("a 2×2 unbalanced design matches an independent least-squares computation (types II and III)", () => {
  const { y, a, b } = moore((f) => f !== "medium");
  const two = twoWayAnova(y, { a, b }, 2);
  const three = twoWayAnova(y, { a, b }, 3);
  assert.equal(two.residual.df, 26);
  near(two.a, { ss: 0.02054507338, F: 0.0008688093392, p: 0.9767103951, partialEta2: 3.341462724e-5 }, "II a");
  near(two.b, { ss: 91.77610063, F: 3.881024511, p: 0.05957315083, partialEta2: 0.1298825785 }, "II b");
  near(two.ab, { ss: 151.2584232, F: 6.396410871, p: 0.01783949058, partialEta2: 0.1974419604 }, "II ab");
  near(three.a, { ss: 5.81942947, F: 0.2460918284, p: 0.6240082563, partialEta2: 0.00937632277 }, "III a");
  near(three.b, { ss: 105.2835804, F: 4.45222834, p: 0.0446341106, partialEta2: 0.1462036962 }, "III b");
  near(three.ab, two.ab, "III ab");
});

// Balanced 2×2, 5 per cell: reference from the classical sums of squares of marginal and cell means (scipy f.sf);
// types II and III coincide for balanced data.
test("a balanced 2×2 matches the classical sums of squares, and types II and III agree", () => {
  const design = new TwoWayDesign(BALANCED);
  for (const type of [2, 3] as const) {
    const table = design.fit(BALANCED.y, type);
    assert.ok(Math.abs(table.residual.ss - 40) < 1e-9);
    near(table.a, { ss: 61.25, F: 24.5, p: 0.0001448477827, partialEta2: 0.6049382716 }, `${type} a`);
    near(table.b, { ss: 151.25, F: 60.5, p: 7.971395372e-7, partialEta2: 0.7908496732 }, `${type} b`);
    near(table.ab, { ss: 31.25, F: 12.5, p: 0.002749255342, partialEta2: 0.4385964912 }, `${type} ab`);
  }
  assert.ok(Math.abs(design.interactionF(BALANCED.y) - 12.5) < 1e-9);
});

test("bad designs are refused with the reason", () => {
  assert.throws(() => new TwoWayDesign({ a: [0, 0, 1], b: [0, 1, 0] }), /cell A=1, B=1 has no observations/);
  assert.throws(() => new TwoWayDesign({ a: [0, 0, 1, 1], b: [0, 1, 0, 1] }), /no residual degrees of freedom/);
  assert.throws(() => new TwoWayDesign({ a: [0, 0.5], b: [0, 1] }), /levels are integers/);
  assert.throws(
    () => twoWayAnova([1, Number.NaN, 1, 1, 2], { a: [0, 0, 1, 1, 1], b: [0, 1, 0, 1, 1] }),
    /value 1 is NaN/,
  );
});

test("a constant response has no F (NaN), not a spurious effect", () => {
  const table = twoWayAnova(
    BALANCED.y.map(() => 3),
    BALANCED,
  );
  assert.ok(Number.isNaN(table.ab.F) && Number.isNaN(table.ab.p));
});
