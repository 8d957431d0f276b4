import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadModel } from "./load-model.js";
import { maxAbsDifference } from "./reference.js";
import type { TransformerModel } from "./transformer-model.js";
import { addVectorHook } from "./write-hooks.js";

let model: TransformerModel;
before(async () => {
  model = await loadModel(join(fixtures, "models", "sotu-gpt2-6l"), { backend: "auto" });
});
after(() => model.dispose());

const ids = [
  [464, 3340, 286, 262, 1578, 2254, 13],
  [40, 423, 257, 3290, 11, 290, 340],
];

function run(options: Parameters<TransformerModel["forward"]>[1]): {
  logits: Float32Array;
  hooks: Record<string, Float32Array>;
} {
  const out = model.forward(ids, options);
  const logits = out.logits!.dataSync() as Float32Array;
  const hooks = Object.fromEntries(Object.entries(out.hooks).map(([k, t]) => [k, t.dataSync() as Float32Array]));
  tf.dispose([out.logits!, ...Object.values(out.hooks)]);
  return { logits, hooks };
}

/** Logits of one batch row and position, from flat [batch, seq, vocab] data. */
function at(logits: Float32Array, row: number, position: number): Float32Array {
  const vocab = model.info.vocabSize;
  const start = (row * ids[0]!.length + position) * vocab;
  return logits.subarray(start, start + vocab);
}

test("replacing every hook's activation with itself leaves the logits identical", () => {
  const plain = run({});
  const writeHooks = Object.fromEntries(
    [0, 2, 5].flatMap((l) =>
      ["hook_resid_pre", "hook_attn_out", "hook_mlp_out", "hook_resid_post"].map((k) => [
        `blocks.${l}.${k}`,
        (a: tf.Tensor3D) => a.clone(),
      ]),
    ),
  );
  const before = tf.memory().numTensors;
  const hooked = run({ writeHooks });
  assert.equal(tf.memory().numTensors, before, "write hooks leak no tensors");
  assert.equal(maxAbsDifference(plain.logits, hooked.logits), 0);
});

test("adding a vector at one position changes only that position and later ones, and shows downstream", () => {
  const d = model.info.dModel;
  const direction = Array.from({ length: d }, (_, i) => Math.sin(i));
  const plain = run({ hooks: ["blocks.2.hook_resid_post", "blocks.3.hook_resid_pre"] });
  const steered = run({
    hooks: ["blocks.2.hook_resid_post", "blocks.3.hook_resid_pre"],
    writeHooks: { "blocks.2.hook_resid_post": addVectorHook(direction, { scale: 4, positions: [3] }) },
  });
  for (let row = 0; row < ids.length; row++) {
    for (let p = 0; p < 3; p++) assert.equal(maxAbsDifference(at(plain.logits, row, p), at(steered.logits, row, p)), 0);
    for (let p = 3; p < ids[0]!.length; p++) {
      assert.ok(maxAbsDifference(at(plain.logits, row, p), at(steered.logits, row, p)) > 1e-3, `row ${row} pos ${p}`);
    }
  }
  const before = plain.hooks["blocks.2.hook_resid_post"]!;
  const after = steered.hooks["blocks.2.hook_resid_post"]!;
  const seq = ids[0]!.length;
  for (let i = 0; i < d; i++) assert.ok(Math.abs(after[3 * d + i]! - before[3 * d + i]! - 4 * Math.sin(i)) < 1e-4);
  assert.deepEqual(steered.hooks["blocks.3.hook_resid_pre"], after, "the next block reads the written activation");
  assert.equal(after.length, ids.length * seq * d);
});

test("a write hook replacing an activation with zeros is seen downstream", () => {
  const zeroed = run({
    hooks: ["blocks.4.hook_mlp_out"],
    writeHooks: { "blocks.4.hook_mlp_out": (a) => tf.zerosLike(a) },
  });
  assert.ok(zeroed.hooks["blocks.4.hook_mlp_out"]!.every((v) => v === 0));
  assert.ok(maxAbsDifference(zeroed.logits, run({}).logits) > 1e-3);
});

test("bad hooks are errors naming the hook", () => {
  assert.throws(() => model.forward(ids, { hooks: ["blocks.9.hook_resid_post"] }), /Unknown hook "blocks\.9/);
  assert.throws(() => model.forward(ids, { hooks: ["blocks.1.hook_q"] }), /use blocks\.L\.hook_resid_pre/);
  const before = tf.memory().numTensors;
  assert.throws(
    () => model.forward(ids, { writeHooks: { "blocks.1.hook_attn_out": (a) => a.slice([0, 0, 0], [1, 2, 3]) } }),
    /write hook blocks\.1\.hook_attn_out returned shape \[1,2,3\]/,
  );
  assert.equal(tf.memory().numTensors, before, "a failing forward frees its tensors");
});

test("stopAtLayer returns hooks without logits", () => {
  const out = model.forward(ids, { hooks: ["blocks.1.hook_resid_post"], stopAtLayer: 1 });
  assert.equal(out.logits, undefined);
  const full = run({ hooks: ["blocks.1.hook_resid_post"] });
  assert.equal(
    maxAbsDifference(out.hooks["blocks.1.hook_resid_post"]!.dataSync(), full.hooks["blocks.1.hook_resid_post"]!),
    0,
  );
  tf.dispose(Object.values(out.hooks));
  assert.throws(() => model.forward(ids, { hooks: ["blocks.3.hook_resid_post"], stopAtLayer: 1 }), /after stopAtLayer/);
});
