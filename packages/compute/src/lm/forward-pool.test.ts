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
  const pool = await ForwardPool.open(dir, { workers: 2 });
  try {
    assert.equal(pool.size, 2);
    const pooled = await pool.forward(ids, { hooks });
    const model = await loadModel(dir);
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

test("a pool on a missing model fails with the loader's message", async () => {
  await assert.rejects(ForwardPool.open(join(fixtures, "nope"), { workers: 1 }), /does not exist/);
});
