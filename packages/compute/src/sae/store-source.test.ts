import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ActivationStore } from "../store/reader.js";
import { ActivationStoreWriter } from "../store/writer.js";
import { storeRowSource } from "./store-source.js";

const d = 3;
const context = 4;
const total = 240;
const dir = mkdtempSync(join(tmpdir(), "sae-store-source-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Row r holds [r, r/2, 1]; every document spans three windows. */
function writeStore(): ActivationStore {
  const writer = ActivationStoreWriter.open(dir, {
    model: "m",
    modelType: "t",
    hook: "blocks.0.hook_resid_post",
    d,
    context,
    bos: false,
    dtype: "float32",
    corpus: "c",
    tokens: total,
    rowsPerShard: 16,
  });
  writer.setDocuments(Array.from({ length: total / 12 }, (_, i) => `doc-${i}`));
  const x = new Float32Array(total * d);
  for (let r = 0; r < total; r++) x.set([r, r / 2, 1], r * d);
  const docs = Int32Array.from({ length: total }, (_, r) => Math.floor(r / 12));
  const rows = { x, tokens: new Int32Array(total), docs, offsets: new Int32Array(total) };
  writer.append(rows, total, () => true);
  writer.finish();
  return ActivationStore.open(dir);
}

const store = writeStore();
const rowIds = (batch: Float32Array) => Array.from({ length: batch.length / d }, (_, i) => batch[i * d]!);

test("one epoch of the source serves each training row once and no held-out row", () => {
  const trainRows = Array.from(store.readAll(total, { split: "train" }).rows);
  const heldOut = store.readAll(total, { split: "heldOut" }).size;
  assert.ok(heldOut > 0 && trainRows.length > 0);
  const source = storeRowSource(store, { chunkRows: 10 });
  const served = rowIds(source.nextBatch(7)).concat(rowIds(source.nextBatch(trainRows.length - 7)));
  assert.deepEqual(
    served.sort((a, b) => a - b),
    trainRows,
  );
  const nextEpoch = rowIds(source.nextBatch(trainRows.length));
  assert.deepEqual(
    nextEpoch.sort((a, b) => a - b),
    trainRows,
    "the second epoch serves the same rows again",
  );
});

test("a restored source continues with exactly the rows the original would have served", () => {
  const original = storeRowSource(store, { chunkRows: 16, shuffleSeed: 3 });
  original.nextBatch(50);
  original.nextBatch(33);
  const saved = JSON.parse(JSON.stringify(original.state()));
  const expected = [original.nextBatch(40), original.nextBatch(300)];
  const resumed = storeRowSource(store, { chunkRows: 16, shuffleSeed: 3 });
  resumed.restore(saved);
  assert.deepEqual([resumed.nextBatch(40), resumed.nextBatch(300)], expected);
  assert.throws(() => resumed.restore({ served: -1 }), /not a row count/);
});

test("a split with no rows is an error naming the fix", () => {
  assert.throws(() => storeRowSource(store, { heldOutFraction: 0, split: "heldOut" }), /no heldOut rows/);
});
