import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ActivationStore } from "../store/reader.js";
import { ActivationStoreWriter } from "../store/writer.js";
import { storeWindows } from "./store-windows.js";

const dir = mkdtempSync(join(tmpdir(), "store-windows-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = 4;
const total = 480;

function writeStore(): ActivationStore {
  const writer = ActivationStoreWriter.open(dir, {
    model: "m",
    modelType: "t",
    hook: "blocks.0.hook_resid_post",
    d: 2,
    context,
    bos: false,
    dtype: "float32",
    corpus: "c",
    tokens: total,
    rowsPerShard: 24,
  });
  writer.setDocuments(Array.from({ length: total / 12 }, (_, i) => `doc-${i}`));
  const tokens = Int32Array.from({ length: total }, (_, r) => r);
  const docs = Int32Array.from({ length: total }, (_, r) => Math.floor(r / 12));
  writer.append({ x: new Float32Array(total * 2), tokens, docs, offsets: new Int32Array(total) }, total, () => true);
  writer.finish();
  return ActivationStore.open(dir);
}

test("held-out windows are whole windows of held-out rows with the tokens the model saw", () => {
  const store = writeStore();
  const heldOutRows = new Set(store.readAll(total, { split: "heldOut" }).rows);
  const { windows, firstRows } = storeWindows(store, 1000);
  assert.ok(windows.length > 0 && windows.length * context === heldOutRows.size);
  windows.forEach((w, i) => {
    assert.deepEqual(
      w,
      [0, 1, 2, 3].map((k) => firstRows[i]! + k),
    );
    for (const token of w) assert.ok(heldOutRows.has(token));
  });
  assert.equal(storeWindows(store, 2).windows.length, 2);
  const trainWindows = storeWindows(store, 1000, { split: "train" });
  assert.equal(trainWindows.windows.length + windows.length, total / context);
});
