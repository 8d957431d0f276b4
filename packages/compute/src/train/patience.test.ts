import assert from "node:assert/strict";
import { test } from "node:test";
import { patienceCounter } from "./patience.js";

test("patience runs out after that many measurements without a rise of more than minDelta", () => {
  const creeping = patienceCounter(0.3, { patience: 3, minDelta: 1e-3 });
  // Small rises that stay within minDelta of the start: never progress, so the third one ends the run.
  assert.deepEqual([0.3004, 0.3008, 0.3009].map(creeping), [false, false, true]);
  const rising = patienceCounter(0.3, { patience: 2, minDelta: 1e-3 });
  // A real rise resets the count; the reference is the ER at the last progress, not the last measurement.
  assert.deepEqual([0.302, 0.3025, 0.3029, 0.304, 0.3041, 0.3042].map(rising), [
    false,
    false,
    true,
    false,
    false,
    true,
  ]);
  const any = patienceCounter(0.3, { patience: 1 });
  assert.deepEqual([0.30001, 0.30001].map(any), [false, true]);
  assert.throws(() => patienceCounter(0, { patience: 1, minDelta: -1 }), /minDelta ≥ 0/);
});
