import assert from "node:assert/strict";
import { test } from "node:test";
import { clipScale } from "./clip.js";
import { type PendingStep, runTrainingLoop, type TrainingLoop } from "./loop.js";
import { plateauOf } from "./patience.js";
import { lrAt } from "./schedule.js";

interface Applied {
  index: number;
  lr: number;
  scale: number;
}

/** A trainer whose step `index` reports the given loss and gradient norm, recording what the loop does with it. */
function recorder(lossAt: (index: number) => number = () => 1, gradNormAt: (index: number) => number = () => 1) {
  const applied: Applied[] = [];
  const discarded: number[] = [];
  const saves: [number, boolean][] = [];
  const step = (index: number, lr: number): PendingStep<Applied> => ({
    losses: [lossAt(index), 0.5],
    gradNorm: gradNormAt(index),
    apply: (scale) => {
      const record = { index, lr, scale };
      applied.push(record);
      return record;
    },
    discard: () => {
      discarded.push(index);
    },
  });
  const checkpoints = (every?: number) => ({
    ...(every ? { every } : {}),
    save: (completed: number, final: boolean) => {
      saves.push([completed, final]);
    },
  });
  return { applied, discarded, saves, step, checkpoints };
}

const schedule = { lr: 1, warmupSteps: 2, decaySteps: 3, totalSteps: 10 };
const base = { steps: 10, schedule, maxGradNorm: 1 };

test("every step gets the schedule's learning rate and the clip factor of its gradient norm", async () => {
  const r = recorder(
    () => 1,
    (i) => i + 0.5,
  );
  const progress: Applied[] = [];
  const result = await runTrainingLoop({ ...base, step: r.step, onProgress: (p) => progress.push(p) });
  assert.equal(result.stopReason, "completed");
  assert.equal(result.steps, 10);
  assert.deepEqual(
    r.applied.map((a) => a.lr),
    Array.from({ length: 10 }, (_, i) => lrAt(i, schedule)),
  );
  assert.deepEqual(
    r.applied.map((a) => a.scale),
    Array.from({ length: 10 }, (_, i) => clipScale(i + 0.5, 1)),
  );
  assert.deepEqual(progress, r.applied);
  assert.equal(result.last, r.applied[9]);
  const unclipped = recorder(
    () => 1,
    () => 100,
  );
  await runTrainingLoop({ ...base, maxGradNorm: 0, step: unclipped.step });
  assert.ok(unclipped.applied.every((a) => a.scale === 1));
});

test("an aborted signal stops the run before the next step", async () => {
  const r = recorder();
  const controller = new AbortController();
  const result = await runTrainingLoop({
    ...base,
    step: r.step,
    signal: controller.signal,
    checkpoints: r.checkpoints(2),
    onProgress: (p) => p.index === 2 && controller.abort(),
  });
  assert.equal(result.stopReason, "aborted");
  assert.equal(result.steps, 3);
  assert.equal(r.applied.length, 3);
  assert.deepEqual(r.saves, [[2, false]]);
});

test("a non-finite loss or gradient norm discards that step and stops with the last finite one", async () => {
  for (const [lossAt, gradNormAt] of [
    [(i: number) => (i === 4 ? Number.NaN : 1), () => 1],
    [() => 1, (i: number) => (i === 4 ? Number.POSITIVE_INFINITY : 1)],
  ] as const) {
    const r = recorder(lossAt, gradNormAt);
    const result = await runTrainingLoop({ ...base, step: r.step, checkpoints: r.checkpoints(2) });
    assert.equal(result.stopReason, "non_finite");
    assert.equal(result.steps, 4);
    assert.deepEqual(r.discarded, [4]);
    assert.equal(result.last?.index, 3);
    assert.deepEqual(r.saves, [
      [2, false],
      [4, false],
    ]);
  }
});

test("checkpoints follow the cadence, the final one marks completion, and a resumed run starts at its step", async () => {
  const fresh = recorder();
  await runTrainingLoop({ ...base, step: fresh.step, checkpoints: fresh.checkpoints(3) });
  assert.deepEqual(fresh.saves, [
    [3, false],
    [6, false],
    [9, false],
    [10, true],
  ]);

  const resumed = recorder();
  const result = await runTrainingLoop({
    ...base,
    startStep: 6,
    step: resumed.step,
    checkpoints: resumed.checkpoints(3),
  });
  assert.deepEqual(
    resumed.applied.map((a) => a.index),
    [6, 7, 8, 9],
  );
  assert.deepEqual(resumed.saves, [
    [9, false],
    [10, true],
  ]);
  assert.equal(result.steps, 10);

  const finished = recorder();
  const again = await runTrainingLoop({
    ...base,
    startStep: 10,
    step: finished.step,
    checkpoints: finished.checkpoints(3),
  });
  assert.deepEqual([again.stopReason, again.steps, again.last], ["completed", 10, null]);
  assert.deepEqual([finished.applied, finished.saves], [[], []]);

  const finalOnly = recorder();
  await runTrainingLoop({ ...base, step: finalOnly.step, checkpoints: finalOnly.checkpoints() });
  assert.deepEqual(finalOnly.saves, [[10, true]]);

  const empty = recorder();
  await runTrainingLoop({ ...base, steps: 0, step: empty.step, checkpoints: empty.checkpoints(3) });
  assert.deepEqual(empty.saves, [[0, true]]);
});

test("the rate handed to apply counts only this run's steps", async () => {
  const rates: number[] = [];
  const loop: TrainingLoop<number> = {
    ...base,
    startStep: 8,
    step: () => ({
      losses: [],
      gradNorm: 0,
      apply: async (_, stepsPerSecond) => {
        await new Promise((resolve) => setTimeout(resolve, 25));
        return rates.push(stepsPerSecond());
      },
      discard: () => {},
    }),
  };
  await runTrainingLoop(loop);
  // Over 20 ms per step: under 50 steps per second when only the steps of this run are counted (not 9 or 10).
  assert.equal(rates.length, 2);
  assert.ok(
    rates.every((r) => r > 0 && r < 50),
    `rates ${rates}`,
  );
});

test("a trainer's stop rule ends the run after the step it answers for, without a final checkpoint", async () => {
  const r = recorder();
  const asked: number[] = [];
  const result = await runTrainingLoop({
    ...base,
    step: r.step,
    checkpoints: r.checkpoints(4),
    shouldStop: (done) => {
      asked.push(done);
      return done === 6;
    },
  });
  assert.equal(result.stopReason, "early_stopped");
  assert.equal(result.steps, 6);
  assert.equal(r.applied.length, 6);
  assert.deepEqual(asked, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(r.saves, [[4, false]]);
});

test("a plateau's learning-rate factor applies from the next step on, on top of the schedule", async () => {
  const r = recorder();
  const plateau = plateauOf(0.5, { patience: 1, lrDrops: 2, lrFactor: 0.5 });
  // Validation never improves: every measurement (each step) is a plateau, so the factor halves twice, then stops.
  const result = await runTrainingLoop({
    ...base,
    step: r.step,
    shouldStop: () => plateau.observe(0.5),
    lrScale: () => plateau.lrScale,
  });
  assert.equal(result.stopReason, "early_stopped");
  assert.deepEqual(
    r.applied.map((a) => a.lr),
    [0, 1, 2].map((i) => lrAt(i, schedule) * 0.5 ** i),
  );
});
