import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import type { Corpus } from "../corpus/types.js";
import type { ProgressEvent } from "../progress/types.js";
import { ActivationStore } from "../store/reader.js";
import { charTokenizer, formulaActivation, formulaModel } from "../testing/formula-model.js";
import { harvest } from "./harvest.js";

const root = mkdtempSync(join(tmpdir(), "interlace-harvest-"));
after(() => rmSync(root, { recursive: true, force: true }));
before(async () => {
  await initBackend("wasm");
});

const texts = [
  "The quick brown fox jumps over the lazy dog.",
  "Pack my box with five dozen liquor jugs!",
  "Sphinx of black quartz, judge my vow.",
];
const corpus: Corpus = {
  name: "pangrams",
  async *documents() {
    for (const [i, text] of texts.entries()) yield { id: `p${i}`, text };
  },
};
const d = 6;
const context = 8;
const common = {
  hook: "blocks.1.hook_resid_post",
  corpus,
  context,
  bos: true,
  batchSize: 2,
  shardBytes: 2 * context * d * 4,
};

test("every stored row is the model's activation for its token at its position, with provenance", async () => {
  const out = join(root, "full");
  const model = formulaModel(d);
  const tensorsBefore = tf.memory().numTensors;
  const events: ProgressEvent[] = [];
  const result = await harvest({ ...common, model, tokens: 100, out, onProgress: (e) => events.push(e) });
  assert.equal(tf.memory().numTensors, tensorsBefore, "harvest leaks no tensors");
  assert.equal(result.manifest.rows, 100);
  assert.equal(result.harvestedRows, 100);
  assert.equal(result.manifest.rowsPerShard, 16);
  assert.equal(events.at(-1)?.finished, true);
  assert.equal(events.at(-1)?.done, 100);

  const store = ActivationStore.open(out);
  const all = store.readAll(1000, { includeSpecial: true });
  const tok = charTokenizer();
  for (let row = 0; row < 100; row++) {
    const position = row % context;
    const ctx = store.rowContext(row, context, 0);
    const token = ctx.tokens[ctx.position]!;
    if (position === 0) assert.equal(token, tok.bosTokenId, "each window starts with BOS");
    if (ctx.document !== null) {
      assert.equal(token, tok.encode(texts[Number(ctx.document.slice(1))]!)[ctx.offset], `row ${row} provenance`);
    }
    for (let k = 0; k < d; k++) {
      assert.ok(Math.abs(all.x[row * d + k]! - formulaActivation(token, position, k)) < 1e-6, `row ${row} dim ${k}`);
    }
  }
});

test("a killed harvest resumes from its last complete shard and matches an uninterrupted one", async () => {
  const reference = join(root, "reference");
  await harvest({ ...common, model: formulaModel(d), tokens: 90, out: reference });

  const out = join(root, "killed");
  const controller = new AbortController();
  const dying = formulaModel(d);
  const forward = dying.forward.bind(dying);
  dying.forward = (ids, options) => {
    if (dying.forwardCalls === 2) controller.abort();
    return forward(ids, options);
  };
  await assert.rejects(harvest({ ...common, model: dying, tokens: 90, out, signal: controller.signal }), /cancelled/);
  assert.ok(existsSync(join(out, "shard-00002.bin")));
  writeFileSync(join(out, "shard-00003.bin.partial"), "left by a killed process");

  const model = formulaModel(d);
  const resumed = await harvest({ ...common, model, tokens: 90, out });
  assert.equal(resumed.resumedRows, 48);
  assert.equal(resumed.harvestedRows, 42);
  assert.equal(model.forwardCalls, 3, "only the missing windows go through the model");
  const a = ActivationStore.open(out).manifest;
  const b = ActivationStore.open(reference).manifest;
  assert.deepEqual(
    a.shards.map((s) => s.sha256),
    b.shards.map((s) => s.sha256),
  );
  assert.deepEqual(a.documents, b.documents);
  assert.deepEqual(a.stats, b.stats);

  const again = await harvest({ ...common, model, tokens: 90, out });
  assert.equal(again.harvestedRows, 0, "a complete store is not harvested again");
});

test("a corpus that runs out completes the store with the rows it had", async () => {
  const result = await harvest({ ...common, model: formulaModel(d), tokens: 10_000, out: join(root, "short") });
  assert.equal(result.corpusExhausted, true);
  assert.equal(result.manifest.rows % context, 0);
  assert.ok(result.manifest.rows > 0 && result.manifest.rows < 200);
});

test("a bad hook name is refused with the valid forms", async () => {
  await assert.rejects(
    harvest({ ...common, hook: "blocks.9.resid", model: formulaModel(d), tokens: 10, out: join(root, "bad") }),
    /Unknown hook "blocks\.9\.resid": use blocks\.L\./,
  );
});
