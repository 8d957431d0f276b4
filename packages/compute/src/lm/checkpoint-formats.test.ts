import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { bfloat16ToFloat32, float32ToBfloat16 } from "../io/float16.js";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadModel } from "./load-model.js";
import { compareWithReference, maxAbsDifference } from "./reference.js";

const source = join(fixtures, "models", "tiny-llama-random");
const work = mkdtempSync(join(tmpdir(), "checkpoint-formats-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A model directory with the fixture's config and tokenizer, and no weights yet. */
function modelDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
    copyFileSync(join(source, file), join(dir, file));
  }
  return dir;
}

const weights = readSafetensors(join(source, "model.safetensors")).tensors;
const prompt = [[464, 3340, 286, 262, 1578]];

async function logitsOf(dir: string): Promise<Float32Array> {
  const model = await loadModel(dir, { backend: "auto" });
  try {
    const { logits } = model.forward(prompt);
    const data = logits!.dataSync() as Float32Array;
    logits!.dispose();
    return data;
  } finally {
    model.dispose();
  }
}

test("a BF16 checkpoint computes exactly what its values do in float32", async () => {
  const rounded = Object.fromEntries(
    Object.entries(weights).map(([name, t]) => [
      name,
      { shape: t.shape, data: bfloat16ToFloat32(float32ToBfloat16(t.data)) },
    ]),
  );
  const bf16Dir = modelDir("bf16");
  writeSafetensors(join(bf16Dir, "model.safetensors"), weights, undefined, { dtype: "BF16" });
  const f32Dir = modelDir("bf16-as-f32");
  writeSafetensors(join(f32Dir, "model.safetensors"), rounded);
  const fromBf16 = await logitsOf(bf16Dir);
  assert.equal(maxAbsDifference(fromBf16, await logitsOf(f32Dir)), 0);
  assert.ok(maxAbsDifference(fromBf16, await logitsOf(source)) > 0, "BF16 rounding changes the logits a little");
});

test("an F16 checkpoint stays close to the float32 reference", async () => {
  const dir = modelDir("f16");
  writeSafetensors(join(dir, "model.safetensors"), weights, undefined, { dtype: "F16" });
  const diff = maxAbsDifference(await logitsOf(dir), await logitsOf(source));
  assert.ok(diff > 0 && diff < 0.05, `F16 logits differ by ${diff}`);
});

test("a sharded checkpoint with model.safetensors.index.json matches the reference", async () => {
  const dir = modelDir("sharded");
  const names = Object.keys(weights);
  const half = Math.ceil(names.length / 2);
  const shards = [names.slice(0, half), names.slice(half)];
  const weightMap: Record<string, string> = {};
  shards.forEach((shard, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(join(dir, file), Object.fromEntries(shard.map((n) => [n, weights[n]!])));
    for (const n of shard) weightMap[n] = file;
  });
  writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  const model = await loadModel(dir, { backend: "auto" });
  try {
    const result = compareWithReference(model, join(fixtures, "reference", "tiny-llama-random.safetensors"));
    assert.ok(result.maxAbsError <= 1e-3, `max abs error ${result.maxAbsError}`);
  } finally {
    model.dispose();
  }
});

test("a missing shard and missing weights name the file to place", async () => {
  const dir = modelDir("missing-shard");
  writeFileSync(
    join(dir, "model.safetensors.index.json"),
    JSON.stringify({
      weight_map: Object.fromEntries(Object.keys(weights).map((n) => [n, "model-00001-of-00001.safetensors"])),
    }),
  );
  await assert.rejects(
    loadModel(dir, { backend: "auto" }),
    /lists model-00001-of-00001\.safetensors, which is missing/,
  );
  await assert.rejects(
    loadModel(modelDir("no-weights"), { backend: "auto" }),
    /no model\.safetensors or model\.safetensors\.index\.json/,
  );
});

test("a checkpoint that does not fit config.json names the tensor", async () => {
  const dir = modelDir("wrong-shape");
  const broken = { ...weights, "model.norm.weight": { shape: [3], data: new Float32Array(3) } };
  writeSafetensors(join(dir, "model.safetensors"), broken);
  const before = tf.memory().numTensors;
  await assert.rejects(
    loadModel(dir, { backend: "auto" }),
    /tensor "model\.norm\.weight" has shape \[3\], config\.json implies \[64\]/,
  );
  assert.equal(tf.memory().numTensors, before, "a failed load frees what it had made");
});
