import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import { openCorpus } from "../corpus/open-corpus.js";
import { loadModel } from "../lm/load-model.js";
import type { TrainingRecord } from "./demo-config.js";
import { evenWindows, tokenStreams } from "./token-data.js";
import { trainDemoModel } from "./train-demo-model.js";

const root = mkdtempSync(join(tmpdir(), "lm-train-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Ten short documents of patterned sentences: a tiny model learns them within a few dozen steps. */
function writeCorpus(): string {
  const dir = join(root, "corpus");
  mkdirSync(dir);
  const subjects = ["The Congress", "The nation", "Our people", "The treasury", "This government"];
  const verbs = ["shall protect", "will defend", "must serve", "has improved", "should respect"];
  const objects = ["the union", "the states", "every citizen", "the public debt", "the common good"];
  for (let d = 0; d < 10; d++) {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(`${subjects[(d + i) % 5]} ${verbs[(d * 3 + i) % 5]} ${objects[(i * 7 + d) % 5]}.`);
    }
    writeFileSync(join(dir, `doc_${d}.txt`), lines.join(" "));
  }
  return dir;
}

test("a short training run lowers the held-out loss and saves a model the loader reads back exactly", async () => {
  const corpusDir = writeCorpus();
  const out = join(root, "model");
  const options = {
    corpus: corpusDir,
    out,
    steps: 30,
    merges: 300,
    seed: 3,
    size: { nLayers: 2, dModel: 32, nHeads: 2, context: 16 },
    batchSize: 8,
    lr: 1e-2,
    heldOutFraction: 0.3,
    evalWindows: 8,
    evalPoints: 3,
    backend: "auto" as const,
  };
  await initBackend("auto");
  const tensorsBefore = tf.memory().numTensors;
  const result = await trainDemoModel(options);
  assert.equal(tf.memory().numTensors, tensorsBefore, "training leaves no tensors behind");
  assert.equal(result.steps, 30);
  assert.equal(result.curve.length, 4, "a point before training and three during it");
  const first = result.curve[0]!.val_loss;
  assert.ok(first > Math.log(557) - 0.5, `an untrained model is near uniform over the vocabulary (got ${first})`);
  assert.ok(result.valLoss < first - 1, `held-out loss falls: ${result.curve.map((p) => p.val_loss).join(" → ")}`);
  assert.deepEqual(readdirSync(root).sort(), ["corpus", "model"], "no staging folder is left behind");

  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as { training: TrainingRecord };
  assert.equal(config.training.steps, 30);
  assert.equal(config.training.tokens_seen, 30 * 8 * 16);
  assert.equal(config.training.val_loss, result.valLoss);
  assert.deepEqual(config.training.loss_curve, result.curve);
  assert.ok(config.training.held_out_documents.length > 0);

  const model = await loadModel(out, { backend: "auto" });
  try {
    assert.equal(model.info.vocabSize, 557);
    assert.equal(model.tokenizer.eosTokenId, 556);
    // The held-out windows the trainer evaluated, rebuilt from the saved tokenizer and the same split.
    const streams = await tokenStreams(openCorpus(corpusDir), model.tokenizer, {
      seed: 3,
      heldOutFraction: 0.3,
      endOfTextId: 556,
    });
    assert.deepEqual(streams.heldOutDocuments, config.training.held_out_documents);
    const width = 17;
    const windows = evenWindows(streams.heldOut, 8, width);
    const rows = windows.length / width;
    const before = tf.memory().numTensors;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const ids = Array.from(windows.subarray(r * width, r * width + 16));
      const logits = model.forward([ids]).logits!;
      const logProbs = tf.tidy(() => tf.logSoftmax(logits.reshape([16, 557])).arraySync() as number[][]);
      logits.dispose();
      for (let t = 0; t < 16; t++) total -= logProbs[t]![windows[r * width + t + 1]!]!;
    }
    assert.equal(tf.memory().numTensors, before);
    const loaded = total / (rows * 16);
    assert.ok(Math.abs(loaded - result.valLoss) < 1e-4, `loaded model ${loaded} vs trainer ${result.valLoss}`);
  } finally {
    model.dispose();
  }

  await assert.rejects(trainDemoModel(options), /already exists and is not empty; .*--overwrite/);
});
