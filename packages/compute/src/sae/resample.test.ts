import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng } from "../stats/rng.js";
import { evaluateSae } from "./evaluate.js";
import { drawByLoss, resampleDeadLatents } from "./resample.js";
import { arrayRowSource, splitRows } from "./row-source.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

test("dead latents take the unit direction of a high-loss row; live ones and their Adam moments stay", () => {
  const d = 3;
  const m = 4;
  const params = {
    W_enc: Float32Array.from({ length: d * m }, (_, i) => (i % 2 === 0 ? 2 : 0)),
    W_dec: Float32Array.from({ length: m * d }, (_, i) => i + 1),
    b_enc: Float32Array.from([0.5, -1, 0.25, -2]),
    b_dec: Float32Array.from([1, 0, 0]),
  };
  const moments = () => ({
    W_enc: new Float32Array(d * m).fill(7),
    W_dec: new Float32Array(m * d).fill(7),
    b_enc: new Float32Array(m).fill(7),
    b_dec: new Float32Array(d).fill(7),
  });
  const adam = { step: 5, m: moments(), v: moments() };
  const before = structuredClone(params);
  // Row 1 is the only one with any loss, so both dead latents must be drawn from it.
  const rows = Float32Array.from([9, 9, 9, 4, 3, 0, 5, 5, 5]);
  resampleDeadLatents({ d, m, params, adam }, [1, 3], rows, Float64Array.from([0, 2, 0]), createRng(1));
  // x − b_dec = [3, 3, 0] → unit [0.7071, 0.7071, 0]; live encoder columns 0 and 2 have norm 2·√3.
  const unit = [Math.SQRT1_2, Math.SQRT1_2, 0];
  const encoderNorm = 0.2 * 2 * Math.sqrt(3);
  for (const latent of [1, 3]) {
    for (let j = 0; j < d; j++) {
      assert.ok(Math.abs(params.W_dec[latent * d + j]! - unit[j]!) < 1e-6);
      assert.ok(Math.abs(params.W_enc[j * m + latent]! - unit[j]! * encoderNorm) < 1e-6);
      assert.equal(adam.m.W_enc[j * m + latent], 0);
      assert.equal(adam.v.W_dec[latent * d + j], 0);
    }
    assert.equal(params.b_enc[latent], 0);
    assert.equal(adam.m.b_enc[latent], 0);
  }
  for (const latent of [0, 2]) {
    for (let j = 0; j < d; j++) {
      assert.equal(params.W_dec[latent * d + j], before.W_dec[latent * d + j]);
      assert.equal(params.W_enc[j * m + latent], before.W_enc[j * m + latent]);
      assert.equal(adam.v.W_enc[j * m + latent], 7);
    }
    assert.equal(params.b_enc[latent], before.b_enc[latent]);
  }
  assert.deepEqual(params.b_dec, before.b_dec);
  assert.ok(adam.m.b_dec.every((v) => v === 7));
});

test("rows are drawn with probability proportional to the squared loss", () => {
  const picks = drawByLoss(Float64Array.from([1, 0, 2]), 20000, createRng(3));
  const share = (i: number) => picks.filter((p) => p === i).length / picks.length;
  assert.equal(share(1), 0);
  assert.ok(Math.abs(share(2) - 0.8) < 0.02, `share of row 2: ${share(2)}`);
  assert.deepEqual(new Set(drawByLoss(new Float64Array(4), 200, createRng(4))), new Set([0, 1, 2, 3]));
});

const d = 16;
const { data } = syntheticSparseRows({ rows: 6000, d, features: 48, activePerRow: 3, seed: 8 });
const { train, heldOut } = splitRows(data, d, 0.2, 1);
// A learning rate far too high for these data kills over half of the latents: the setting resampling is for.
const harsh = { dSae: 128, l1: 1, lr: 0.1, steps: 300, batchSize: 256, deadWindowSteps: 50, seed: 3 };

test("resampling revives dead latents of a standard SAE", async () => {
  const plain = await trainSae({ data: train, d }, harsh);
  const revived = await trainSae({ data: train, d }, { ...harsh, resampleDeadEvery: 50 });
  assert.equal(plain.resampled, 0);
  assert.ok(revived.resampled > 0);
  // Dead over the final window (the 50 steps after the last resampling).
  assert.ok(plain.deadFraction! > 0.3, `without resampling ${plain.deadFraction} dead`);
  assert.ok(
    revived.deadFraction! < plain.deadFraction! / 2,
    `dead: ${revived.deadFraction} with resampling vs ${plain.deadFraction} without`,
  );
  const ev = (r: typeof plain) => evaluateSae(r.sae, heldOut).explained_variance;
  assert.ok(ev(revived) > ev(plain) - 0.02, "resampling costs no reconstruction quality");
  plain.sae.dispose();
  revived.sae.dispose();
});

test("a resampling run resumed from a checkpoint ends bit-for-bit like an uninterrupted one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sae-resample-resume-"));
  try {
    const options = { ...harsh, steps: 40, deadWindowSteps: 6, resampleDeadEvery: 6, resampleRows: 300 };
    const straight = await trainSae(arrayRowSource(train, d, 2), options);
    const controller = new AbortController();
    await trainSae(arrayRowSource(train, d, 2), {
      ...options,
      checkpointDir: dir,
      checkpointEvery: 10,
      signal: controller.signal,
      onProgress: (p) => p.step === 23 && controller.abort(),
    }).then((r) => r.sae.dispose());
    const resumed = await trainSae(arrayRowSource(train, d, 2), { ...options, checkpointDir: dir, resume: true });
    assert.ok(straight.resampled > 0);
    assert.equal(resumed.resampled, straight.resampled);
    assert.deepEqual(resumed.sae.weights, straight.sae.weights);
    straight.sae.dispose();
    resumed.sae.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("resampling is refused for topk, which uses aux-k", async () => {
  await assert.rejects(
    trainSae({ data: train, d }, { dSae: 32, architecture: "topk", resampleDeadEvery: 10 }),
    /applies to the standard SAE/,
  );
});
