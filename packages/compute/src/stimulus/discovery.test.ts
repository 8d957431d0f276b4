import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../stats/rng.js";
import { CELL_KEYS, cellLevels } from "./design.js";
import { discover } from "./discovery.js";
import type { PromptMeasures } from "./measures.js";

/** 8 prompts per cell; feature 1 moves with A, feature 2 with B, feature 3 only when both are present, 4 is constant. */
function planted(): PromptMeasures[] {
  const rng = createRng(5);
  return CELL_KEYS.flatMap((cell) =>
    Array.from({ length: 8 }, (_, i) => {
      const { a, b } = cellLevels(cell);
      const noise = () => 0.2 * rng.normal();
      const features = Float32Array.from([noise(), 3 * a + noise(), 3 * b + noise(), 4 * a * b + noise(), 1.5, 0]);
      return {
        cell,
        prompt: `${cell} ${i}`,
        tokens: 1,
        positions: [0],
        features,
        kDims: Float32Array.from([noise(), 2 * a * b + noise()]),
        interactionNorm: 0,
        linearNorm: 0,
        residualNorm: 0,
        codes: features,
      };
    }),
  );
}

test("discovery finds the planted effects, ranks them first, and never reports constant features", () => {
  const result = discover(planted(), 2, { topN: 2, targets: [3, 4] });
  assert.deepEqual(result.constantFeatures, [4, 5]);
  assert.deepEqual(result.constantDims, []);
  assert.equal(result.tested, 4 + 2);
  const first = (effect: string) => result.discovered.find((e) => e.effect === effect)!;
  assert.deepEqual([first("a").kind, first("a").index], ["feature", 1]);
  assert.ok(Math.abs(first("a").value - 3) < 0.3, JSON.stringify(first("a")));
  assert.deepEqual([first("b").kind, first("b").index], ["feature", 2]);
  const ab = result.discovered.filter((e) => e.effect === "ab").map((e) => `${e.kind}:${e.index}`);
  assert.deepEqual(new Set(ab), new Set(["feature:3", "k_dim:1"]));
  assert.ok(first("ab").q < 1e-6 && first("ab").q >= first("ab").p);
  assert.equal(result.discovered.length, 6);
  assert.ok(result.discovered.every((e) => e.index !== 4 || e.kind !== "feature"));
  assert.deepEqual(result.constantTargets, [4]);
  assert.deepEqual(
    result.targets.map((e) => `${e.index}${e.effect}`),
    ["3a", "3b", "3ab"],
  );
});
