import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { loadModel } from "./load-model.js";

test("loaded models describe themselves", async () => {
  const model = await loadModel(join(fixtures, "models", "sotu-gpt2-6l"), { backend: "wasm" });
  after(() => model.dispose());
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
    loadModel(join(fixtures, "no-such-model"), { backend: "wasm" }),
    /does not exist; pass a Hugging Face model directory/,
  );
  await assert.rejects(loadModel(fixtures, { backend: "wasm" }), /no config\.json/);
});
