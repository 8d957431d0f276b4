import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { initBackend } from "../../backend.js";
import type { Corpus } from "../../corpus/types.js";
import { harvest } from "../../harvest/harvest.js";
import { ActivationStore } from "../../store/reader.js";
import { formulaModel } from "../../testing/formula-model.js";
import { presetSettings } from "../options.js";
import { readStudyRows } from "./rows.js";

const root = mkdtempSync(join(tmpdir(), "interlace-study-rows-"));
after(() => rmSync(root, { recursive: true, force: true }));
before(async () => {
  await initBackend("wasm");
});

const corpus: Corpus = {
  name: "numbered",
  async *documents() {
    for (let i = 0; i < 12; i++) yield { id: `doc${i}`, text: `Document ${i} says ${"abcdefghij".repeat(3)}.` };
  },
};

test("study rows: training rows then held-out rows, disjoint, with each held-out row's window", async () => {
  const d = 4;
  const out = join(root, "store");
  await harvest({ model: formulaModel(d), hook: "blocks.1.hook_resid_post", corpus, context: 8, tokens: 300, out });
  const store = ActivationStore.open(out);
  const settings = { ...presetSettings("tiny"), tokens: 300, context: 8, heldOutFraction: 0.25 };
  const rows = readStudyRows(store, settings);

  const { train, held_out } = rows.split;
  assert.ok(train > 0 && held_out > 0);
  assert.match(rows.split.split_mode, /^(document|window)$/);
  assert.equal(rows.x.length, (train + held_out) * d);
  assert.deepEqual(rows.x.subarray(0, train * d), rows.trainX);
  assert.deepEqual(rows.x.subarray(train * d), rows.heldOutX);
  assert.deepEqual([...rows.trainRows], [...Array(train).keys()]);
  assert.deepEqual(
    [...rows.heldOutRows],
    [...Array(held_out).keys()].map((i) => train + i),
  );
  const heldOutStoreRows = [...rows.storeRows.subarray(train)];
  assert.deepEqual(
    [...rows.groups],
    heldOutStoreRows.map((row) => Math.floor(row / 8)),
  );
  assert.equal(rows.split.held_out_windows, new Set(rows.groups).size);
  const trainStoreRows = new Set(rows.storeRows.subarray(0, train));
  assert.ok(
    heldOutStoreRows.every((row) => !trainStoreRows.has(row)),
    "no row is on both sides",
  );
});

test("a split that leaves one side empty names the fix", async () => {
  const out = join(root, "tiny-store");
  const one: Corpus = { name: "one", documents: corpus.documents };
  await harvest({ model: formulaModel(4), hook: "blocks.1.hook_resid_post", corpus: one, context: 8, tokens: 8, out });
  const settings = { ...presetSettings("tiny"), tokens: 8, context: 8, heldOutFraction: 0.1 };
  assert.throws(() => readStudyRows(ActivationStore.open(out), settings), /harvest more tokens \(--tokens\)/);
});
