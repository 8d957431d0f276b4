import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { generate } from "./generate.js";
import { loadModel } from "./load-model.js";
import { argmax } from "./sampling.js";
import type { TransformerModel } from "./transformer-model.js";
import { addVectorHook } from "./write-hooks.js";

const models: Record<string, TransformerModel> = {};
before(async () => {
  for (const name of ["sotu-gpt2-6l", "tiny-llama-random"])
    models[name] = await loadModel(join(fixtures, "models", name), { backend: "auto" });
});
after(() => {
  for (const model of Object.values(models)) model.dispose();
});

/** Greedy decoding by re-running the whole sequence at every step (no cache). */
function greedyWithoutCache(model: TransformerModel, ids: number[], steps: number): number[] {
  const seq = [...ids];
  for (let i = 0; i < steps; i++) {
    const { logits } = model.forward([seq]);
    const vocab = model.info.vocabSize;
    const last = logits!.dataSync().subarray((seq.length - 1) * vocab, seq.length * vocab);
    logits!.dispose();
    seq.push(argmax(last));
  }
  return seq.slice(ids.length);
}

for (const name of ["sotu-gpt2-6l", "tiny-llama-random"]) {
  test(`${name}: greedy generation with the KV cache equals recomputing every step`, () => {
    const model = models[name]!;
    const prompt = "The Congress shall have power";
    const before = tf.memory().numTensors;
    const result = generate(model, prompt, { maxTokens: 12, stopTokens: [] });
    assert.equal(tf.memory().numTensors, before, "generation leaks no tensors");
    assert.equal(result.stopReason, "max_tokens");
    assert.deepEqual(result.tokenIds, greedyWithoutCache(model, model.encode(prompt), 12));
    assert.equal(result.text, model.tokenizer.decode(result.tokenIds));
  });
}

test("seeded sampling is reproducible and streams tokens", () => {
  const model = models["sotu-gpt2-6l"]!;
  const streamed: number[] = [];
  const options = { maxTokens: 10, temperature: 1, topK: 40, topP: 0.95, seed: 11, stopTokens: [] };
  const a = generate(model, "Fellow citizens", { ...options, onToken: (id) => streamed.push(id) });
  const b = generate(model, "Fellow citizens", options);
  assert.deepEqual(a.tokenIds, b.tokenIds);
  assert.deepEqual(streamed, a.tokenIds);
  const others = [12, 13, 14].map((seed) => generate(model, "Fellow citizens", { ...options, seed }).tokenIds.join());
  assert.ok(
    others.some((ids) => ids !== a.tokenIds.join()),
    "another seed draws another text",
  );
});

test("generation stops on a stop token and at the context limit", () => {
  const model = models["sotu-gpt2-6l"]!;
  const greedy = generate(model, "The people", { maxTokens: 5, stopTokens: [] });
  const stopped = generate(model, "The people", { maxTokens: 5, stopTokens: [greedy.tokenIds[1]!] });
  assert.equal(stopped.stopReason, "eos");
  assert.deepEqual(stopped.tokenIds, greedy.tokenIds.slice(0, 2));
  const long = Array.from({ length: model.info.maxPositions - 2 }, () => 262);
  const capped = generate(model, long, { maxTokens: 10, stopTokens: [] });
  assert.equal(capped.stopReason, "context");
  assert.equal(capped.tokenIds.length, 3, "the last token is predicted from the last position");
});

test("write hooks stay active while generating", () => {
  const model = models["sotu-gpt2-6l"]!;
  const plain = generate(model, "The people", { maxTokens: 8, stopTokens: [] });
  const direction = Array.from({ length: model.info.dModel }, (_, i) => Math.cos(i * 0.37));
  const steered = generate(model, "The people", {
    maxTokens: 8,
    stopTokens: [],
    writeHooks: { "blocks.3.hook_resid_post": addVectorHook(direction, { scale: 20 }) },
  });
  assert.notDeepEqual(steered.tokenIds, plain.tokenIds);
});
