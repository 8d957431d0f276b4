import assert from "node:assert/strict";
import { test } from "node:test";
import { plateauOf } from "./patience.js";

const observeAll = (start: number, rule: Parameters<typeof plateauOf>[1], scores: number[]) => {
  const plateau = plateauOf(start, rule);
  return scores.map((score) => plateau.observe(score));
};

test("patience runs out after that many measurements without a rise of more than minDelta", () => {
  // Small rises that stay within minDelta of the start: never progress, so the third one ends the run.
  assert.deepEqual(observeAll(0.3, { patience: 3, minDelta: 1e-3 }, [0.3004, 0.3008, 0.3009]), [false, false, true]);
  // A real rise resets the count; the reference is the score at the last progress, not the last measurement.
  assert.deepEqual(observeAll(0.3, { patience: 2, minDelta: 1e-3 }, [0.302, 0.3025, 0.3029, 0.304, 0.3041, 0.3042]), [
    false,
    false,
    true,
    false,
    false,
    true,
  ]);
  assert.deepEqual(observeAll(0.3, { patience: 1 }, [0.30001, 0.30001]), [false, true]);
  assert.throws(() => plateauOf(0, { patience: 1, minDelta: -1 }), /minDelta ≥ 0/);
  assert.throws(() => plateauOf(0, { patience: 0 }), /patience ≥ 1/);
  assert.throws(() => plateauOf(0, { patience: 2, lrFactor: 1 }), /drop factor/);
});

test("a plateau lowers the learning rate while drops remain, and the next plateau after the last drop ends the run", () => {
  const plateau = plateauOf(0.5, { patience: 2, minDelta: 1e-3, lrDrops: 2, lrFactor: 0.5 });
  const scales: number[] = [];
  const stops: boolean[] = [];
  // Two flat measurements: first plateau, lr halves. A rise after it resets the count. Then two plateaus more:
  // the second drop, and the end.
  for (const score of [0.5, 0.5, 0.51, 0.51, 0.51, 0.51, 0.51]) {
    stops.push(plateau.observe(score));
    scales.push(plateau.lrScale);
  }
  assert.deepEqual(stops, [false, false, false, false, false, false, true]);
  assert.deepEqual(scales, [1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
  assert.equal(plateau.drops, 2);
});
