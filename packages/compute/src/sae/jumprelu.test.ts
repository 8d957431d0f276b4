import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Sae } from "./sae.js";

await tf.setBackend("wasm");

test("jumprelu zeroes pre-activations at or below their threshold and keeps the rest", () => {
  const sae = new Sae(
    {
      architecture: "jumprelu",
      d_in: 2,
      d_sae: 3,
      apply_b_dec_to_input: false,
      normalize_activations: "none",
      metadata: {},
    },
    {
      W_enc: new Float32Array([1, 0, -1, 0, 1, 1]),
      W_dec: new Float32Array(6),
      b_enc: new Float32Array([0, 0, 0]),
      b_dec: new Float32Array([5, 5]),
      threshold: new Float32Array([0.5, 0.5, 2]),
    },
  );
  // pre = [x0, x1, x1 − x0]
  const f = sae.encode(new Float32Array([0.4, 3, 1, 1]));
  const expected = [0, 3, 2.6, 1, 1, 0];
  for (const [i, v] of expected.entries()) assert.ok(Math.abs(f[i]! - v) < 1e-6, `f[${i}] = ${f[i]}, expected ${v}`);
  sae.dispose();
});
