/**
 * The forward-pass reference tests for one engine: every test file that includes it runs in its own process, where
 * the first `initBackend` decides the engine, so each engine gets a file of its own (reference-*.test.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { denseProducts, initBackend } from "../backend.js";
import type { Engine } from "../backend-preference.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadModel } from "./load-model.js";
import { compareWithReference } from "./reference.js";

/** Outputs may differ from the float32 reference by rounding only: ≤ 1e-4 of each tensor's scale. */
export const REFERENCE_TOLERANCE = 1e-4;

/** Registers the reference tests for `engine`; skips them, saying why, where the engine cannot start. */
export async function engineReferenceSuite(engine: Engine): Promise<void> {
  const started = await initBackend(engine).then(
    () => null,
    (error: Error) => error.message,
  );
  for (const name of ["sotu-gpt2-6l", "tiny-llama-random"]) {
    test(`${name} on ${engine} matches the reference logits and every hook to ≤ 1e-4`, {
      skip: started ?? false,
    }, async () => {
      assert.equal(denseProducts().engine, engine === "onnxruntime" ? "onnxruntime" : "tfjs");
      const model = await loadModel(join(fixtures, "models", name), { backend: engine });
      try {
        const before = tf.memory().numTensors;
        const result = compareWithReference(model, join(fixtures, "reference", `${name}.safetensors`));
        assert.ok(result.prompts > 0);
        assert.deepEqual(result.idMismatches, [], "the tokenizer reproduces the reference ids");
        assert.ok(Object.keys(result.perTensor).length > 1 + 4 * (model.info.nLayers - 1));
        assert.ok(
          result.maxScaledError <= REFERENCE_TOLERANCE,
          `scaled error ${result.maxScaledError}, absolute per tensor ${JSON.stringify(result.perTensor)}`,
        );
        assert.equal(tf.memory().numTensors, before, "the forward pass leaks no tensors");
      } finally {
        model.dispose();
      }
    });
  }
}
