import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadModel } from "./load-model.js";
import { compareWithReference } from "./reference.js";
import type { TransformerModel } from "./transformer-model.js";

const loaded: TransformerModel[] = [];
after(() => {
  for (const model of loaded) model.dispose();
});

for (const name of ["sotu-gpt2-6l", "tiny-llama-random"]) {
  test(`${name} matches the reference logits and every hook to ≤ 1e-3`, async () => {
    const model = await loadModel(join(fixtures, "models", name), { backend: "auto" });
    loaded.push(model);
    const before = tf.memory().numTensors;
    const result = compareWithReference(model, join(fixtures, "reference", `${name}.safetensors`));
    assert.ok(result.prompts > 0);
    assert.deepEqual(result.idMismatches, [], "the tokenizer reproduces the reference ids");
    assert.ok(Object.keys(result.perTensor).length > 1 + 4 * (model.info.nLayers - 1));
    assert.ok(
      result.maxAbsError <= 1e-3,
      `max abs error ${result.maxAbsError} per tensor ${JSON.stringify(result.perTensor)}`,
    );
    assert.equal(tf.memory().numTensors, before, "the forward pass leaks no tensors");
  });
}

test("loaded models describe themselves", async () => {
  const model = loaded[0] ?? (await loadModel(join(fixtures, "models", "sotu-gpt2-6l"), { backend: "auto" }));
  assert.equal(model.info.modelType, "gpt2");
  assert.equal(model.info.nLayers, 6);
  assert.equal(model.info.dModel, 256);
  assert.equal(model.info.vocabSize, 8257);
  assert.equal(model.tokenizer.eosTokenId, 8256);
  assert.equal(model.tokenizer.decode(model.tokenizer.encode("Hello, world")), "Hello, world");
  assert.deepEqual(model.encode("Hi", true)[0], 8256);
});

test("a missing directory and a missing config name the fix", async () => {
  await assert.rejects(
    loadModel(join(fixtures, "no-such-model"), { backend: "auto" }),
    /does not exist; pass a Hugging Face model directory/,
  );
  await assert.rejects(loadModel(fixtures, { backend: "auto" }), /no config\.json/);
});
