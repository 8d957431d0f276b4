import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { backendCandidates, initBackend } from "./backend.js";

test("automatic choice tries the native backends before wasm and never cpu", () => {
  assert.deepEqual(backendCandidates(undefined), ["tfjs-node-gpu", "tfjs-node", "wasm"]);
  assert.deepEqual(backendCandidates("wasm"), ["wasm"]);
  assert.deepEqual(backendCandidates("tensorflow"), ["tfjs-node-gpu", "tfjs-node"]);
});

test("an unknown backend name is an error naming the variable and the choices", () => {
  assert.throws(() => backendCandidates("cpu"), /INTERLACE_BACKEND="cpu".*"tensorflow".*"wasm"/);
});

test("initBackend starts a real backend once and is idempotent", async () => {
  const first = await initBackend();
  assert.ok(first === "wasm" || first === "tensorflow", first);
  assert.equal(tf.getBackend(), first);
  assert.equal(await initBackend("wasm"), first);
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  assert.deepEqual([...sum], [4, 6]);
});
