import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadResidualModel, readResidualCheckpoint } from "./checkpoint.js";
import { syntheticResidualData } from "./synthetic.js";
import { type TrainNfmOptions, trainNfm } from "./train.js";

await tf.setBackend("wasm");

const data = syntheticResidualData({ rows: 1200, dSae: 32, dIn: 12, activePerRow: 4, seed: 3 });
const trainRows = Int32Array.from({ length: 1000 }, (_, i) => i);
/** Dropout and batch norm make the run depend on the RNG position and the running statistics too. */
const options: TrainNfmOptions = {
  trainRows,
  steps: 60,
  batchSize: 128,
  lr: 3e-3,
  k: 6,
  seed: 5,
  dropout: 0.2,
  batchNorm: true,
  variant: "full",
};
const root = mkdtempSync(join(tmpdir(), "nfm-checkpoint-"));
after(() => rmSync(root, { recursive: true, force: true }));

function weightsOf(model: { exportTensors(): Record<string, { data: Float32Array }> }): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(model.exportTensors())) out[name] = Array.from(t.data);
  return out;
}

test("a run killed after a checkpoint resumes bit for bit, and a finished checkpoint loads without training", async () => {
  const straight = await trainNfm(data, options);
  const expected = weightsOf(straight.model);
  straight.model.dispose();

  const dir = join(root, "resumed");
  const abort = new AbortController();
  const killed = await trainNfm(data, {
    ...options,
    checkpointDir: dir,
    checkpointEvery: 20,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.step === 31) abort.abort();
    },
  });
  assert.equal(killed.stopReason, "aborted");
  killed.model.dispose();
  assert.equal(readResidualCheckpoint(dir).position.step, 20);

  let firstStep: number | null = null;
  const resumed = await trainNfm(data, {
    ...options,
    checkpointDir: dir,
    checkpointEvery: 20,
    resume: true,
    onProgress: (p) => {
      firstStep ??= p.step;
    },
  });
  assert.equal(firstStep, 21);
  assert.equal(resumed.stopReason, "completed");
  assert.equal(resumed.steps, 60);
  assert.deepEqual(weightsOf(resumed.model), expected);
  resumed.model.dispose();
  assert.equal(readResidualCheckpoint(dir).position.stopReason, "completed");

  let calls = 0;
  const again = await trainNfm(data, { ...options, checkpointDir: dir, resume: true, onProgress: () => calls++ });
  assert.equal(calls, 0);
  assert.equal(again.steps, 60);
  assert.deepEqual(weightsOf(again.model), expected);

  const loaded = loadResidualModel(dir);
  const rows = Int32Array.from({ length: 50 }, (_, i) => 1100 + i);
  const batch = data.batch(rows);
  assert.deepEqual(
    Array.from(loaded.predict(batch.f, null, rows.length)),
    Array.from(again.model.predict(batch.f, null, rows.length)),
  );
  loaded.dispose();
  again.model.dispose();
});

test("resuming with other settings is refused and names what differs", async () => {
  const dir = join(root, "mismatch");
  const first = await trainNfm(data, { ...options, steps: 10, checkpointDir: dir });
  first.model.dispose();
  await assert.rejects(
    trainNfm(data, { ...options, steps: 10, k: 8, checkpointDir: dir, resume: true }),
    /other config/,
  );
  await assert.rejects(trainNfm(data, { ...options, steps: 12, checkpointDir: dir, resume: true }), /other steps/);
  await assert.rejects(
    trainNfm(data, { ...options, steps: 10, checkpointDir: dir, resume: true, permuteTargets: true }),
    /other permuteTargets/,
  );
});

test("checkpointing leaks no tensors", async () => {
  const before = tf.memory().numTensors;
  const dir = join(root, "leak");
  const run = await trainNfm(data, { ...options, steps: 8, checkpointDir: dir, checkpointEvery: 3 });
  run.model.dispose();
  const resumed = await trainNfm(data, { ...options, steps: 8, checkpointDir: dir, resume: true });
  resumed.model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
