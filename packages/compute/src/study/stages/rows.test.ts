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

test("study rows: train, validation (from the non-held-out side) and held-out rows, disjoint, with split.json's groups", async () => {
  const d = 4;
  const out = join(root, "store");
  await harvest({ model: formulaModel(d), hook: "blocks.1.hook_resid_post", corpus, context: 8, tokens: 300, out });
  const store = ActivationStore.open(out);
  const settings = { ...presetSettings("tiny"), tokens: 300, context: 8, heldOutFraction: 0.35 };
  const rows = readStudyRows(store, settings);

  const { train, validation, held_out } = rows.split;
  assert.ok(train > 0 && validation > 0 && held_out > 0);
  assert.equal(rows.split.split_mode, "document");
  assert.equal(rows.x.length, (train + validation + held_out) * d);
  assert.deepEqual(rows.x.subarray(0, (train + validation) * d), rows.trainX);
  assert.deepEqual(rows.x.subarray((train + validation) * d), rows.heldOutX);
  assert.deepEqual(
    [...rows.trainRows, ...rows.validationRows].sort((a, b) => a - b),
    [...Array(train + validation).keys()],
  );
  assert.deepEqual(
    [...rows.heldOutRows],
    [...Array(held_out).keys()].map((i) => train + validation + i),
  );
  const heldOutStoreRows = [...rows.storeRows.subarray(train + validation)];
  assert.deepEqual(
    [...rows.groups],
    heldOutStoreRows.map((row) => Math.floor(row / 8)),
  );
  assert.equal(rows.split.held_out_windows, new Set(rows.groups).size);
  const trainStoreRows = new Set(rows.storeRows.subarray(0, train + validation));
  assert.ok(
    heldOutStoreRows.every((row) => !trainStoreRows.has(row)),
    "no row is on both sides",
  );
  // The held-out choice is the store's own rule, unchanged by the validation split.
  const rule = store.heldOutRule({ seed: 0, heldOutFraction: 0.35 });
  const before = store.readAll(300, { seed: 0, heldOutFraction: 0.35, split: "heldOut" });
  assert.deepEqual([...heldOutStoreRows], [...before.rows]);
  assert.equal(rule.mode, "document");
  const file = rows.file;
  assert.equal(file.mode, "document");
  if (file.mode !== "document") return;
  const all = [...file.train, ...file.validation, ...file.held_out];
  assert.equal(new Set(all).size, all.length, "each document in one group");
  assert.ok(file.train.length > 0 && file.validation.length > 0 && file.held_out.length > 0);
  assert.ok(
    all.every((name) => /^doc\d+$/.test(name)),
    all.join(","),
  );
});

test("with one document the split is by context window and the study still gets three groups", async () => {
  const out = join(root, "one-doc-store");
  const one: Corpus = {
    name: "one",
    async *documents() {
      yield { id: "only", text: "a long single document ".repeat(40) };
    },
  };
  await harvest({
    model: formulaModel(4),
    hook: "blocks.1.hook_resid_post",
    corpus: one,
    context: 8,
    tokens: 240,
    out,
  });
  const settings = { ...presetSettings("tiny"), tokens: 240, context: 8, heldOutFraction: 0.2 };
  const rows = readStudyRows(ActivationStore.open(out), settings);
  assert.equal(rows.split.split_mode, "window");
  const file = rows.file;
  assert.equal(file.mode, "window");
  if (file.mode !== "window") return;
  assert.equal(file.context, 8);
  const all = [...file.train, ...file.validation, ...file.held_out];
  assert.equal(new Set(all).size, all.length, "each window in one group");
  assert.ok(file.train.length > 0 && file.validation.length > 0 && file.held_out.length > 0);
  assert.ok(rows.validationRows.length > 0 && rows.trainRows.length > 0);
});

test("a split that leaves one side empty names the fix", async () => {
  const out = join(root, "tiny-store");
  const one: Corpus = { name: "one", documents: corpus.documents };
  await harvest({ model: formulaModel(4), hook: "blocks.1.hook_resid_post", corpus: one, context: 8, tokens: 8, out });
  const settings = { ...presetSettings("tiny"), tokens: 8, context: 8, heldOutFraction: 0.1 };
  assert.throws(() => readStudyRows(ActivationStore.open(out), settings), /harvest more tokens \(--tokens\)/);
});
