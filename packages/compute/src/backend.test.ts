import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { backendCandidates, initBackend } from "./backend.js";

test("automatic choice tries the native backends before wasm and never cpu", () => {
  assert.deepEqual(backendCandidates("auto"), ["tfjs-node-gpu", "tfjs-node", "wasm"]);
  assert.deepEqual(backendCandidates("wasm"), ["wasm"]);
  assert.deepEqual(backendCandidates("tensorflow"), ["tfjs-node-gpu", "tfjs-node"]);
});

test("initBackend starts the preferred backend once and is idempotent", async () => {
  assert.equal(await initBackend("wasm"), "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(await initBackend("auto"), "wasm", "the first call decides");
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  assert.deepEqual([...sum], [4, 6]);
});
