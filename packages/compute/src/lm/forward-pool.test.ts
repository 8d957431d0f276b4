import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { ForwardPool } from "./forward-pool.js";
import { loadModel } from "./load-model.js";
import { maxAbsDifference } from "./reference.js";

const dir = join(fixtures, "models", "sotu-gpt2-6l");

test("a pool of workers computes what one model computes, rows in order", async () => {
  const ids = Array.from({ length: 5 }, (_, b) => Array.from({ length: 9 }, (_, t) => (b * 97 + t * 31) % 8000));
  const hooks = ["blocks.2.hook_resid_post"];
  const pool = await ForwardPool.open(dir, { workers: 2, backend: "wasm" });
  try {
    assert.equal(pool.size, 2);
    assert.deepEqual(pool.backends, ["wasm", "wasm"], "every worker started the backend the pool was given");
    const pooled = await pool.forward(ids, { hooks });
    const model = await loadModel(dir, { backend: "wasm" });
    const single = model.forward(ids, { hooks });
    assert.equal(pooled.batch, 5);
    assert.equal(pooled.seq, 9);
    assert.equal(maxAbsDifference(pooled.logits!, single.logits!.dataSync()), 0);
    assert.equal(maxAbsDifference(pooled.hooks[hooks[0]!]!, single.hooks[hooks[0]!]!.dataSync()), 0);
    tf.dispose([single.logits!, ...Object.values(single.hooks)]);
    model.dispose();
    const hooksOnly = await pool.forward(ids, { hooks, logits: false, stopAtLayer: 2 });
    assert.equal(hooksOnly.logits, null);
    await assert.rejects(pool.forward(ids, { hooks: ["blocks.9.hook_resid_post"] }), /Unknown hook/);
  } finally {
    await pool.close();
  }
});

test("a pool on the onnxruntime engine computes what the wasm engine computes, to float rounding", async () => {
  const ids = Array.from({ length: 3 }, (_, b) => Array.from({ length: 12 }, (_, t) => (b * 53 + t * 17) % 8000));
  const hooks = ["blocks.4.hook_attn_out", "blocks.5.hook_resid_post"];
  const pools = await Promise.all(
    (["onnxruntime", "wasm"] as const).map((backend) => ForwardPool.open(dir, { workers: 2, backend })),
  );
  try {
    assert.deepEqual(pools[0]!.backends, ["onnxruntime", "onnxruntime"]);
    const [onnx, wasm] = await Promise.all(pools.map((pool) => pool.forward(ids, { hooks })));
    assert.ok(maxAbsDifference(onnx!.logits!, wasm!.logits!) <= 1e-4);
    for (const hook of hooks) assert.ok(maxAbsDifference(onnx!.hooks[hook]!, wasm!.hooks[hook]!) <= 1e-4, hook);
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
});

test("a pool on a missing model fails with the loader's message", async () => {
  await assert.rejects(ForwardPool.open(join(fixtures, "nope"), { workers: 1, backend: "wasm" }), /does not exist/);
});

test("the backend preference reaches the worker threads: tensorflow never falls back to wasm", async () => {
  // Without tfjs-node installed the workers must fail naming the native candidates they tried; with it they run it.
  const pool = await ForwardPool.open(dir, { workers: 1, backend: "tensorflow" }).catch((error: Error) => error);
  if (pool instanceof Error) {
    assert.match(pool.message, /engine "tensorflow" could not start: .*tfjs-node or tfjs-node-gpu/);
    return;
  }
  try {
    assert.deepEqual(pool.backends, ["tensorflow"]);
  } finally {
    await pool.close();
  }
});
