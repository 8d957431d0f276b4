import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_PREFERENCES, denseProducts, initBackend } from "./backend.js";

test("INTERLACE_BACKEND names auto and each engine", () => {
  assert.deepEqual(BACKEND_PREFERENCES, ["auto", "onnxruntime", "tensorflow", "wasm"]);
});

test("initBackend starts the preferred engine once and is idempotent", async () => {
  assert.equal(await initBackend("wasm"), "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(denseProducts().engine, "tfjs");
  assert.equal(await initBackend("onnxruntime"), "wasm", "the first call decides");
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  assert.deepEqual([...sum], [4, 6]);
});
