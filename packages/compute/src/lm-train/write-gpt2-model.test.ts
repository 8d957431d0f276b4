import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadModel } from "../lm/load-model.js";
import type { TrainingRecord } from "./demo-config.js";
import { cutGpt2Bpe } from "./gpt2-bpe.js";
import { disposeParams, initGpt2Params, namedParams } from "./gpt2-params.js";
import { gpt2Logits } from "./gpt2-train-forward.js";
import { causalMask } from "./train-ops.js";
import { writeModelFiles, writeTokenizerFiles } from "./write-gpt2-model.js";

await tf.setBackend("wasm");
const dir = mkdtempSync(join(tmpdir(), "gpt2-write-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const training: TrainingRecord = {
  corpus: "none",
  merges: 200,
  seed: 7,
  steps: 0,
  tokens_seen: 0,
  batch_size: 1,
  seconds: 0,
  held_out_fraction: 0,
  held_out_documents: [],
  held_out_tokens: 0,
  val_loss: 0,
  loss_curve: [],
};

test("the loader reads written parameters back with logits equal to the training forward pass", async () => {
  const bpe = cutGpt2Bpe(200);
  const shape = { nLayers: 2, dModel: 24, nHeads: 3, context: 12, vocabSize: 457 };
  const params = initGpt2Params(shape, 7);
  // Larger weights and random gains and biases, so every parameter and the c_attn layout affect the logits.
  tf.tidy(() => {
    let seed = 1;
    for (const p of Object.values(namedParams(params))) {
      const noise = tf.randomNormal(p.shape, 0, 0.2, "float32", seed++);
      p.assign(p.rank === 2 ? tf.mul(p, 5) : tf.add(p, noise));
    }
  });
  writeTokenizerFiles(dir, bpe, shape.context);
  writeModelFiles(dir, params, training);
  const model = await loadModel(dir, { backend: "auto" });
  const mask = causalMask(9);
  try {
    const ids = [
      [5, 300, 17, 456, 2, 99, 100, 8, 256],
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    const loaded = model.forward(ids).logits!;
    const diff = tf.tidy(() => {
      const ours = gpt2Logits(params, tf.tensor1d(ids.flat(), "int32"), 2, 9, mask).reshape(loaded.shape);
      assert.ok(tf.moments(ours).variance.dataSync()[0]! > 0.1, "logits vary enough to be a real check");
      return tf.max(tf.abs(tf.sub(ours, loaded))).dataSync()[0]!;
    });
    loaded.dispose();
    assert.ok(diff < 1e-4, `max abs difference ${diff}`);
    assert.equal(model.info.vocabSize, 457);
    assert.equal(model.tokenizer.bosTokenId, 456);
  } finally {
    mask.dispose();
    model.dispose();
    disposeParams(params);
  }
});
