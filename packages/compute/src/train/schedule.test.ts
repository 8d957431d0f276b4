import assert from "node:assert/strict";
import { test } from "node:test";
import { clipScale } from "./clip.js";
import { lrAt, scheduleOf, warmedUp } from "./schedule.js";

test("learning rate warms up linearly, holds, then decays linearly to lrEnd at the last step", () => {
  const s = { lr: 1, warmupSteps: 4, decaySteps: 5, lrEnd: 0.1, totalSteps: 20 };
  assert.deepEqual(
    [0, 1, 2, 3].map((t) => lrAt(t, s)),
    [0.25, 0.5, 0.75, 1],
  );
  assert.equal(lrAt(10, s), 1);
  assert.equal(lrAt(14, s), 1);
  assert.ok(Math.abs(lrAt(19, s) - 0.1) < 1e-12);
  assert.ok(lrAt(16, s) < lrAt(15, s));
  assert.equal(lrAt(5, { lr: 2, totalSteps: 10 }), 2);
});

test("λ warm-up reaches its value at the end of the warm-up and stays", () => {
  assert.equal(warmedUp(2, 0, 4), 0.5);
  assert.equal(warmedUp(2, 3, 4), 2);
  assert.equal(warmedUp(2, 100, 4), 2);
  assert.equal(warmedUp(2, 0, 0), 2);
});

test("clipScale brings a large gradient to the maximum norm and leaves small ones", () => {
  assert.equal(clipScale(0.5, 1), 1);
  assert.ok(Math.abs(clipScale(4, 1) * 4 - 1) < 1e-6);
  assert.equal(clipScale(4, 0), 1);
});

test("scheduleOf: the trainer's peak rate, no warm-up and a decay over the last 20% unless the options say otherwise", () => {
  assert.deepEqual(scheduleOf({}, 1000, 1e-3), { lr: 1e-3, warmupSteps: 0, decaySteps: 200, totalSteps: 1000 });
  assert.deepEqual(scheduleOf({ lr: 2, lrWarmupSteps: 5, lrDecaySteps: 7, lrEnd: 0.5 }, 10, 1e-3), {
    lr: 2,
    warmupSteps: 5,
    decaySteps: 7,
    lrEnd: 0.5,
    totalSteps: 10,
  });
});

test("scheduleOf: a run that stops on a validation plateau has no budget-tied decay unless the options ask for one", () => {
  assert.equal(scheduleOf({}, 1000, 1e-3, true).decaySteps, 0);
  assert.equal(scheduleOf({ lrDecaySteps: 50 }, 1000, 1e-3, true).decaySteps, 50);
  const schedule = scheduleOf({}, 1000, 1e-3, true);
  assert.equal(lrAt(999, schedule), 1e-3, "the last step of the budget runs at the peak rate");
});
