import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StoreDtype, StoreHeader } from "./manifest.js";
import { ActivationStore } from "./reader.js";
import type { ShardRows } from "./shard-format.js";
import { ActivationStoreWriter } from "./writer.js";

const root = mkdtempSync(join(tmpdir(), "interlace-store-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => join(root, `store-${dirCount++}`);

const d = 5;
const context = 4;
const docCount = 10;
const documents = Array.from({ length: docCount }, (_, i) => `doc-${i}`);

/** Row r: value r + k/10 in dim k; every 4th row (window start) is a special token. */
function makeRows(from: number, count: number): ShardRows {
  const x = new Float32Array(count * d);
  const tokens = new Int32Array(count);
  const docs = new Int32Array(count);
  const offsets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const r = from + i;
    for (let k = 0; k < d; k++) x[i * d + k] = r + k / 10;
    tokens[i] = 1000 + r;
    const special = r % context === 0;
    docs[i] = special ? -1 : Math.floor(r / 12) % docCount;
    offsets[i] = special ? -1 : r;
  }
  return { x, tokens, docs, offsets };
}

function header(dtype: StoreDtype, tokens: number): StoreHeader {
  return {
    model: "m",
    modelType: "t",
    hook: "blocks.0.hook_resid_post",
    d,
    context,
    bos: true,
    dtype,
    corpus: "c",
    tokens,
    rowsPerShard: 8,
  };
}

function writeStore(dir: string, dtype: StoreDtype, total: number): void {
  const writer = ActivationStoreWriter.open(dir, header(dtype, total));
  writer.setDocuments(documents);
  for (let at = 0; at < total; at += 6) {
    const n = Math.min(6, total - at);
    const rows = makeRows(at, n);
    writer.append(rows, n, (r) => rows.docs[r]! >= 0);
  }
  writer.finish();
}

test("float32 round trip: every row, token and provenance comes back exactly", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 30);
  const store = ActivationStore.open(dir);
  assert.equal(store.rows, 30);
  assert.equal(store.manifest.shards.length, 4);
  assert.deepEqual(
    store.manifest.shards.map((s) => s.rows),
    [8, 8, 8, 6],
  );
  const all = store.readAll(1000, { includeSpecial: true });
  assert.deepEqual(all.x, makeRows(0, 30).x);
  assert.deepEqual(
    Array.from(all.rows),
    Array.from({ length: 30 }, (_, i) => i),
  );
  const ctx = store.rowContext(10, 16, 4);
  assert.deepEqual(ctx.tokens, [1008, 1009, 1010, 1011]);
  assert.equal(ctx.position, 2);
  assert.equal(ctx.document, "doc-0");
  assert.equal(ctx.offset, 10);
  assert.equal(store.rowContext(8).document, null);
  assert.deepEqual(store.readRows([29, 3]), new Float32Array([29, 29.1, 29.2, 29.3, 29.4, 3, 3.1, 3.2, 3.3, 3.4]));
});

test("float16 round trip within half precision and half the bytes", () => {
  const dir32 = freshDir();
  const dir16 = freshDir();
  writeStore(dir32, "float32", 30);
  writeStore(dir16, "float16", 30);
  const x = ActivationStore.open(dir16).readAll(1000, { includeSpecial: true }).x;
  const expected = makeRows(0, 30).x;
  for (let i = 0; i < x.length; i++) {
    assert.ok(Math.abs(x[i]! - expected[i]!) <= Math.abs(expected[i]!) * 2 ** -11 + 1e-7, `value ${i}`);
  }
  const bytes = (dir: string) => ActivationStore.open(dir).manifest.shards.reduce((n, s) => n + s.bytes, 0);
  assert.equal(bytes(dir32) - bytes(dir16), 30 * d * 2);
});

test("norm statistics cover only document rows", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 30);
  const { stats } = ActivationStore.open(dir).manifest;
  const rows = makeRows(0, 30);
  let n = 0;
  let norm = 0;
  for (let r = 0; r < 30; r++) {
    if (rows.docs[r]! < 0) continue;
    n++;
    norm += Math.hypot(...rows.x.subarray(r * d, (r + 1) * d));
  }
  assert.equal(stats.rows, n);
  assert.ok(Math.abs(stats.meanNorm - norm / n) < 1e-9);
  assert.ok(
    Math.abs(
      stats.mean[1]! -
        rows.x.filter((_, i) => i % d === 1 && rows.docs[Math.floor(i / d)]! >= 0).reduce((a, b) => a + b, 0) / n,
    ) < 1e-9,
  );
});

test("a killed write resumes from the last complete shard and ends identical to an uninterrupted one", () => {
  const dir = freshDir();
  const first = ActivationStoreWriter.open(dir, header("float32", 30));
  first.setDocuments(documents);
  const rows = makeRows(0, 20);
  first.append(rows, 20, (r) => rows.docs[r]! >= 0);
  // Killed here: two shards complete, four rows in shard-00002.bin.partial. Make the leftover look half-written.
  writeFileSync(join(dir, "shard-00002.bin.partial"), "half-written");
  assert.throws(() => ActivationStore.open(dir), /did not finish: run the same `interlace harvest` command/);

  const resumed = ActivationStoreWriter.open(dir, header("float32", 30));
  assert.equal(resumed.committedRows, 16);
  assert.ok(!existsSync(join(dir, "shard-00002.bin.partial")), "the leftover partial shard is removed");
  resumed.setDocuments(documents);
  const rest = makeRows(16, 14);
  resumed.append(rest, 14, (r) => rest.docs[r]! >= 0);
  resumed.finish();

  const reference = freshDir();
  writeStore(reference, "float32", 30);
  const a = ActivationStore.open(dir);
  const b = ActivationStore.open(reference);
  assert.deepEqual(
    a.manifest.shards.map((s) => s.sha256),
    b.manifest.shards.map((s) => s.sha256),
  );
  assert.deepEqual(a.manifest.stats, b.manifest.stats);
});

test("resuming with different settings is refused, naming the setting and the fix", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 30);
  assert.throws(
    () => ActivationStoreWriter.open(dir, { ...header("float32", 30), hook: "blocks.1.hook_resid_post" }),
    /hook: store has "blocks.0.hook_resid_post".*--overwrite/,
  );
  const fresh = ActivationStoreWriter.open(dir, header("float16", 30), { overwrite: true });
  assert.equal(fresh.committedRows, 0);
  assert.ok(!existsSync(join(dir, "shard-00000.bin")));
});

test("a truncated shard is named in the error", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 30);
  truncateSync(join(dir, "shard-00001.bin"), 50);
  const store = ActivationStore.open(dir);
  assert.throws(() => store.verify(), /shard shard-00001\.bin is truncated/);
  assert.throws(() => store.readAll(1000), /shard-00001\.bin is truncated/);
  assert.throws(() => ActivationStoreWriter.open(dir, header("float32", 30)), /shard-00001\.bin is truncated/);
});

test("a flipped bit is caught by the checksum and named", () => {
  const dir = freshDir();
  writeStore(dir, "float16", 30);
  const path = join(dir, "shard-00002.bin");
  const bytes = readFileSync(path);
  bytes[7]! ^= 0x10;
  writeFileSync(path, bytes);
  const store = ActivationStore.open(dir);
  assert.throws(() => store.verify(), /shard shard-00002\.bin is corrupt \(sha256 mismatch\)/);
  assert.throws(() => [...store.batches({ batchSize: 4 })], /shard-00002\.bin is corrupt/);
});

test("batches are fixed by the seed, cover the split once per epoch, and differ across seeds", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 64);
  const store = ActivationStore.open(dir);
  const run = (shuffleSeed: number) =>
    [...store.batches({ batchSize: 5, shuffleSeed, bufferShards: 2, split: "train", seed: 3 })].map((b) =>
      Array.from(b.rows),
    );
  assert.deepEqual(run(1), run(1));
  assert.notDeepEqual(run(1), run(2));
  const seen = run(1).flat();
  const expected = store.readAll(1000, { split: "train", seed: 3 });
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    Array.from(expected.rows),
  );
  assert.notDeepEqual(seen, Array.from(expected.rows), "rows are shuffled");
  for (const batch of store.batches({ batchSize: 7, shuffleSeed: 1 })) {
    for (let i = 0; i < batch.size; i++) assert.equal(batch.x[i * d], batch.rows[i], "values travel with their row");
  }
});

test("the held-out split is by document, disjoint from training and fixed by its seed", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 64);
  const store = ActivationStore.open(dir);
  const selection = { seed: 5, heldOutFraction: 0.3 };
  assert.equal(store.heldOutRule(selection).mode, "document");
  const train = store.readAll(1000, { ...selection, split: "train" });
  const held = store.readAll(1000, { ...selection, split: "heldOut" });
  const docsOf = (rows: Int32Array) => new Set(Array.from(rows, (r) => store.rowContext(r).document));
  const trainDocs = docsOf(train.rows);
  const heldDocs = docsOf(held.rows);
  assert.ok(heldDocs.size > 0 && trainDocs.size > 0);
  for (const doc of heldDocs) assert.ok(!trainDocs.has(doc), `${doc} is on both sides`);
  const all = store.readAll(1000);
  assert.equal(train.size + held.size, all.size);
  assert.deepEqual(store.readAll(1000, { ...selection, split: "heldOut" }).rows, held.rows);
  const named = store.readAll(1000, { seed: 5, heldOutFraction: 0, heldOutIds: ["doc-1"], split: "heldOut" });
  assert.deepEqual(docsOf(named.rows), new Set(["doc-1"]));
});

test("readInto writes the selected rows straight into a target, as readAll returns them, and refuses a small one", () => {
  const dir = freshDir();
  writeStore(dir, "float32", 64);
  const store = ActivationStore.open(dir);
  const selection = { seed: 5, heldOutFraction: 0.3 };
  const train = store.readAll(1000, { ...selection, split: "train" });
  const held = store.readAll(1000, { ...selection, split: "heldOut" });
  const target = new Float32Array((train.size + held.size) * store.d);
  const intoTrain = store.readInto(target, 0, 1000, { ...selection, split: "train" });
  const intoHeld = store.readInto(target, intoTrain.size, 1000, { ...selection, split: "heldOut" });
  assert.deepEqual(intoTrain.rows, train.rows);
  assert.deepEqual(intoHeld.docs, held.docs);
  assert.deepEqual(target, Float32Array.from([...train.x, ...held.x]));
  assert.throws(
    () => store.readInto(new Float32Array(3 * store.d), 0, 1000, { ...selection, split: "train" }),
    /more than the target's 3 free rows/,
  );
});
