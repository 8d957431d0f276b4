import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Adam } from "./adam.js";

await tf.setBackend("wasm");

test("Adam matches the textbook update and its exported state resumes identically", () => {
  const p = tf.variable(tf.tensor1d([1, -2]));
  const adam = new Adam({ p });
  const grad = tf.tensor1d([0.5, -1]);
  adam.apply({ p }, 0.1);
  // Step 1 with bias correction: update = lr · g / (|g| + ε) = ±0.1.
  const after = p.dataSync();
  assert.ok(Math.abs(after[0]! - 0.9) < 1e-6 && Math.abs(after[1]! + 1.9) < 1e-6);
  adam.apply({ p: grad }, 0.1);
  const state = adam.exportState();
  const q = tf.variable(p.clone());
  const resumed = new Adam({ p: q });
  resumed.importState(state);
  adam.apply({ p: grad }, 0.1, 0.5);
  resumed.apply({ p: grad }, 0.1, 0.5);
  assert.deepEqual(Array.from(q.dataSync()), Array.from(p.dataSync()));
  const before = tf.memory().numTensors;
  adam.apply({ p: grad }, 0.1);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => adam.apply({ nope: grad }, 0.1), /no parameter named "nope"/);
  for (const t of [p, q, grad]) t.dispose();
  adam.dispose();
  resumed.dispose();
});
