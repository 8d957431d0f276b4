import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadSaeLens, parseSaeLensConfig, saveSaeLens } from "./saelens.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test("the fixture SAE encodes and reconstructs as the SAELens reference (≤ 1e-4)", () => {
  const sae = loadSaeLens(join(fixtures, "saes/sotu-gpt2-6l-L3-standard-1024"));
  const ref = readSafetensors(join(fixtures, "reference/sae-sotu-gpt2-6l-L3-standard-1024.safetensors")).tensors;
  assert.equal(sae.cfg.metadata["hook_name"], "blocks.3.hook_resid_post");
  const { f, xHat } = sae.reconstruct(ref["x"]!.data);
  assert.ok(maxAbsDiff(f, ref["f"]!.data) <= 1e-4, `f: ${maxAbsDiff(f, ref["f"]!.data)}`);
  assert.ok(maxAbsDiff(xHat, ref["x_hat"]!.data) <= 1e-4, `x_hat: ${maxAbsDiff(xHat, ref["x_hat"]!.data)}`);
  sae.dispose();
});

test("train → export → import gives identical encodings", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sae-roundtrip-"));
  try {
    const { data } = syntheticSparseRows({ rows: 1024, d: 16, features: 24, activePerRow: 2, seed: 4 });
    const { sae } = await trainSae(
      { data, d: 16 },
      { dSae: 32, steps: 20, batchSize: 128, metadata: { hook_name: "h" } },
    );
    saveSaeLens(sae, dir, { featureDensity: new Float64Array(32).fill(0.01) });
    const loaded = loadSaeLens(dir);
    assert.deepEqual(loaded.cfg, sae.cfg);
    assert.deepEqual(loaded.encode(data), sae.encode(data));
    assert.ok(Math.abs(readSafetensors(join(dir, "sparsity.safetensors")).tensors["sparsity"]!.data[0]! + 2) < 1e-5);
    sae.dispose();
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pre-6.0 configs map hook_point to metadata.hook_name and activation_fn_str topk to architecture", () => {
  const cfg = parseSaeLensConfig({
    d_in: 4,
    d_sae: 8,
    hook_point: "blocks.2.hook_resid_pre",
    model_name: "gpt2",
    activation_fn_str: "topk",
    activation_fn_kwargs: { k: 3 },
  });
  assert.equal(cfg.architecture, "topk");
  assert.equal(cfg.k, 3);
  assert.equal(cfg.metadata["hook_name"], "blocks.2.hook_resid_pre");
  assert.equal(cfg.metadata["model_name"], "gpt2");
  assert.equal(cfg.apply_b_dec_to_input, true);
});

test("a directory with a missing tensor or a wrong shape is a clear error", () => {
  const dir = mkdtempSync(join(tmpdir(), "sae-bad-"));
  try {
    writeFileSync(join(dir, "cfg.json"), JSON.stringify({ architecture: "standard", d_in: 2, d_sae: 3 }));
    const t = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    writeSafetensors(join(dir, "sae_weights.safetensors"), { W_enc: t([2, 3]), W_dec: t([3, 2]), b_enc: t([3]) });
    assert.throws(() => loadSaeLens(dir), /lacks tensor "b_dec"/);
    writeSafetensors(join(dir, "sae_weights.safetensors"), {
      W_enc: t([3, 2]),
      W_dec: t([3, 2]),
      b_enc: t([3]),
      b_dec: t([2]),
    });
    assert.throws(() => loadSaeLens(dir), /"W_enc" has shape \[3, 2\].*implies \[2, 3\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
