import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openCorpus } from "../corpus/open-corpus.js";
import { loadModel } from "../lm/load-model.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import { ActivationStore } from "../store/reader.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { harvest } from "./harvest.js";

const root = mkdtempSync(join(tmpdir(), "interlace-harvest-sotu-"));
let model: TransformerModel;
before(async () => {
  model = await loadModel(join(fixtures, "models", "sotu-gpt2-6l"), { backend: "auto" });
});
after(() => {
  model?.dispose();
  rmSync(root, { recursive: true, force: true });
});

test("harvested rows of the sotu model equal a direct forward pass over the same window", async () => {
  const hook = "blocks.3.hook_resid_post";
  const context = 32;
  const common = { model, hook, corpus: openCorpus("sotu"), tokens: 200, context, bos: true, batchSize: 4 };
  await harvest({ ...common, out: join(root, "f32") });
  await harvest({ ...common, dtype: "float16", out: join(root, "f16") });
  const store = ActivationStore.open(join(root, "f32"));
  assert.equal(store.d, 256);
  assert.equal(store.rows, 200);
  assert.equal(store.manifest.documents[0], "1790_george_washington_n.txt");

  const windowIndex = 3;
  const rows = Array.from({ length: context }, (_, i) => windowIndex * context + i);
  const ids = rows.map((row) => {
    const ctx = store.rowContext(row, 0, 0);
    return ctx.tokens[ctx.position]!;
  });
  assert.equal(ids[0], model.tokenizer.bosTokenId);
  const text = model.tokenizer.decode(ids.slice(1));
  assert.ok(text.length > 20, "the window decodes to speech text");

  const direct = model.forward([ids], { hooks: [hook], logits: false });
  const expected = direct.hooks[hook]!.dataSync();
  direct.hooks[hook]!.dispose();
  const stored = store.readRows(rows);
  const halves = ActivationStore.open(join(root, "f16")).readRows(rows);
  let maxError = 0;
  let maxHalfError = 0;
  for (let i = 0; i < expected.length; i++) {
    maxError = Math.max(maxError, Math.abs(stored[i]! - expected[i]!));
    maxHalfError = Math.max(maxHalfError, Math.abs(halves[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  }
  assert.ok(maxError <= 1e-4, `float32 store vs direct forward: ${maxError}`);
  assert.ok(maxHalfError <= 2e-3, `float16 store vs direct forward (relative): ${maxHalfError}`);
  const { meanNorm } = store.manifest.stats;
  assert.ok(meanNorm > 0 && Number.isFinite(meanNorm));
});
