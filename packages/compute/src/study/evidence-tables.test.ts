import assert from "node:assert/strict";
import { test } from "node:test";
import { GAINS, type GainEntry, JOINT_COMPARISONS, MODEL_GROUPS, MODELS } from "./evidence-tables.js";

test("every name is a distinct report key", () => {
  const keys = [...MODELS.map((m) => m.name), ...GAINS.map((g) => g.name), ...JOINT_COMPARISONS.map((c) => c.name)];
  assert.equal(new Set(keys).size, keys.length, keys.join(", "));
});

test("every model is in a known group and every gain compares two different models of the table", () => {
  for (const model of MODELS) assert.ok(MODEL_GROUPS.includes(model.group), model.name);
  const names = new Set<string>(MODELS.map((m) => m.name));
  const gains: readonly GainEntry[] = GAINS;
  for (const gain of gains) {
    assert.ok(names.has(gain.a) && names.has(gain.b) && gain.a !== gain.b, gain.name);
  }
  for (const comparison of JOINT_COMPARISONS) assert.notEqual(comparison.a, comparison.b, comparison.name);
});
