import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../backend.js";
import type { Unembedding } from "../../lm/transformer-model.js";
import type { Sae } from "../../sae/sae.js";
import { loadSaeLens } from "../../sae/saelens.js";
import { createRng } from "../../stats/rng.js";
import { ActivationStore } from "../../store/reader.js";
import { ActivationStoreWriter } from "../../store/writer.js";
import { fixturePath } from "../../testing/fixtures.js";
import { foldedDecoder } from "./decoder.js";
import { computeFeatureData, displayToken } from "./feature-data.js";
import { FEATURE_DATA_LIMITS, type FeatureData } from "./types.js";

const context = 16;
const total = 2048;
const vocab = 40;
const selection = { seed: 0, heldOutFraction: 0.3, split: "heldOut" as const };
const dir = mkdtempSync(join(tmpdir(), "feature-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let sae: Sae;
let store: ActivationStore;
let unembedding: Unembedding;
let data: FeatureData[];
const tokenString = (id: number) => `t${id}`;

/** Rows of 32 four-window documents: Gaussian activations scaled like the fixture model's layer 3. */
function writeStore(d: number, rows = total, into = dir): ActivationStore {
  const rng = createRng(7);
  const writer = ActivationStoreWriter.open(into, {
    model: "m",
    modelType: "gpt2",
    hook: "blocks.3.hook_resid_post",
    d,
    context,
    bos: false,
    dtype: "float32",
    corpus: "c",
    tokens: rows,
    rowsPerShard: 128,
  });
  writer.setDocuments(Array.from({ length: Math.ceil(rows / 64) }, (_, i) => `doc-${i}`));
  const x = Float32Array.from({ length: rows * d }, () => rng.normal() * 1.5);
  const tokens = Int32Array.from({ length: rows }, () => rng.int(vocab));
  const docs = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / 64));
  writer.append({ x, tokens, docs, offsets: Int32Array.from({ length: rows }, (_, r) => r % 64) }, rows, () => true);
  writer.finish();
  return ActivationStore.open(into);
}

function syntheticUnembedding(d: number, norm: Unembedding["norm"]): Unembedding {
  const rng = createRng(3);
  const gain = Float32Array.from({ length: d }, () => 0.5 + rng.next());
  const weights = Float32Array.from({ length: d * vocab }, () => rng.normal());
  return { norm, gain, unembed: tf.tensor2d(weights, [d, vocab]) };
}

before(async () => {
  await initBackend("auto");
  sae = loadSaeLens(fixturePath("saes", "sotu-gpt2-6l-L3-standard-1024"));
  store = writeStore(sae.dIn);
  unembedding = syntheticUnembedding(sae.dIn, "layernorm");
  data = computeFeatureData({ store, sae, unembedding, tokenizer: { tokenString }, selection });
});
after(() => {
  unembedding.unembed.dispose();
  sae.dispose();
});

/** Brute force: every row encoded at once, each quantity computed from its definition. */
function bruteForce() {
  const m = sae.dSae;
  const everything = store.readAll(total);
  const fAll = sae.encode(everything.x);
  const held = Array.from(store.readAll(total, selection).rows);
  const value = (row: number, i: number) => fAll[row * m + i]!;
  return { m, held, value };
}

const close = (a: number, b: number, what: string, tol = 1e-4) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} ≈ ${b}`);

test("density, max, mean, histogram and interval counts equal a brute-force computation", () => {
  const { m, held, value } = bruteForce();
  assert.equal(data.length, m);
  let firing = 0;
  for (let i = 0; i < m; i++) {
    const values = held.map((row) => value(row, i)).filter((v) => v > 0);
    const feature = data[i]!;
    close(feature.density, values.length / held.length, `density ${i}`, 1e-12);
    const max = values.length ? Math.max(...values) : 0;
    assert.equal(feature.maxActivation, max, `max ${i}`);
    close(feature.meanActivation, values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0, `mean ${i}`);
    if (values.length === 0) continue;
    firing += 1;
    for (const [bins, list] of [
      [50, feature.histogram],
      [10, feature.quantiles],
    ] as const) {
      assert.equal(list.length, bins);
      list.forEach((bin, g) => {
        close(bin.lo, (g * max) / bins, "lo", 1e-9);
        close(bin.hi, ((g + 1) * max) / bins, "hi", 1e-9);
        const expected = values.filter((v) => v > bin.lo && (v <= bin.hi || g === bins - 1)).length;
        assert.equal(bin.count, expected, `feature ${i} bin ${g} of ${bins}`);
      });
    }
  }
  assert.ok(firing > 100, `enough features fire in the test store (${firing})`);
});

test("the top contexts are the strongest token of the strongest windows, with each token's value", () => {
  const { m, held, value } = bruteForce();
  for (let i = 0; i < m; i += 7) {
    const best = new Map<number, { row: number; v: number }>();
    for (const row of held) {
      const v = value(row, i);
      const w = Math.floor(row / context);
      if (v > 0 && (!best.has(w) || v > best.get(w)!.v)) best.set(w, { row, v });
    }
    const expected = [...best.values()].sort((a, b) => b.v - a.v || a.row - b.row).slice(0, 20);
    const got = data[i]!.examples;
    assert.equal(got.length, expected.length, `feature ${i} example count`);
    got.forEach((example, k) => {
      const want = expected[k]!;
      assert.equal(example.maxValue, want.v);
      const ctx = store.rowContext(want.row, FEATURE_DATA_LIMITS.contextBefore, FEATURE_DATA_LIMITS.contextAfter);
      assert.deepEqual(example.tokens, ctx.tokens.map(tokenString));
      assert.equal(example.position, ctx.position);
      const first = want.row - ctx.position;
      assert.deepEqual(
        example.values,
        ctx.tokens.map((_, t) => value(first + t, i)),
      );
    });
  }
  assert.ok(
    data.some((f) => f.examples.length === 20),
    "some feature fills all 20 top contexts",
  );
});

test("interval examples are up to five seeded draws from their interval, the same on every run", () => {
  for (const feature of data) {
    for (const group of feature.quantiles) {
      assert.equal(group.examples.length, Math.min(5, group.count));
      for (const example of group.examples) {
        assert.ok(example.maxValue > group.lo - 1e-9 && example.maxValue <= group.hi + 1e-9);
        assert.equal(example.values[example.position], example.maxValue);
      }
    }
  }
  const again = computeFeatureData({ store, sae, unembedding, tokenizer: { tokenString }, selection });
  assert.deepEqual(
    again.map((f) => f.quantiles),
    data.map((f) => f.quantiles),
  );
  const other = computeFeatureData({ store, sae, unembedding, tokenizer: { tokenString }, selection, seed: 1 });
  assert.notDeepEqual(
    other.map((f) => f.quantiles),
    data.map((f) => f.quantiles),
    "another seed draws other examples",
  );
});

function bruteLogits(norm: Unembedding["norm"], i: number): number[] {
  const d = sae.dIn;
  const w = Array.from(sae.weights.W_dec.subarray(i * d, (i + 1) * d));
  const mean = norm === "layernorm" ? w.reduce((a, b) => a + b, 0) / d : 0;
  const u = unembedding.unembed.dataSync();
  return Array.from({ length: vocab }, (_, v) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (w[j]! - mean) * unembedding.gain[j]! * u[j * vocab + v]!;
    return s;
  });
}

test("logit effects fold γ (and the LayerNorm centring) into the decoder direction", () => {
  for (let i = 0; i < sae.dSae; i += 97) {
    const effects = bruteLogits("layernorm", i);
    const order = effects.map((v, t) => ({ t, v })).sort((a, b) => b.v - a.v);
    const feature = data[i]!;
    assert.deepEqual(
      feature.topLogits.map((l) => l.token),
      order.slice(0, 10).map((o) => tokenString(o.t)),
    );
    feature.topLogits.forEach((l, k) => {
      close(l.value, order[k]!.v, "top logit", 1e-3);
    });
    assert.deepEqual(
      feature.bottomLogits.map((l) => l.token),
      order
        .slice(-10)
        .reverse()
        .map((o) => tokenString(o.t)),
    );
    const hist = feature.logitHistogram;
    assert.equal(hist.length, 50);
    assert.equal(
      hist.reduce((a, b) => a + b.count, 0),
      vocab,
    );
    close(hist[0]!.lo, order.at(-1)!.v, "histogram starts at the smallest effect", 1e-3);
    close(hist[49]!.hi, order[0]!.v, "histogram ends at the largest effect", 1e-3);
  }
});

test("RMSNorm models fold γ without centring", () => {
  const rms = { ...unembedding, norm: "rmsnorm" as const };
  const d = sae.dIn;
  const folded = foldedDecoder(sae.weights.W_dec, d, rms);
  const i = 5;
  for (let j = 0; j < d; j++) close(folded[i * d + j]!, sae.weights.W_dec[i * d + j]! * rms.gain[j]!, "folded");
  const centred = foldedDecoder(sae.weights.W_dec, d, unembedding);
  let sum = 0;
  for (let j = 0; j < d; j++) sum += centred[i * d + j]! / unembedding.gain[j]!;
  close(sum, 0, "LayerNorm centres the direction before γ", 1e-3);
});

test("neighbours are the largest signed decoder cosines, self excluded", () => {
  const d = sae.dIn;
  const w = sae.weights.W_dec;
  const norm = (i: number) => Math.sqrt(w.subarray(i * d, (i + 1) * d).reduce((a, b) => a + b * b, 0));
  for (let i = 0; i < sae.dSae; i += 131) {
    const cos = Array.from({ length: sae.dSae }, (_, k) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += w[i * d + j]! * w[k * d + j]!;
      return { k, c: s / (norm(i) * norm(k)) };
    })
      .filter((o) => o.k !== i)
      .sort((a, b) => b.c - a.c)
      .slice(0, 10);
    assert.deepEqual(
      data[i]!.neighbours.map((n) => n.index),
      cos.map((o) => o.k),
    );
    data[i]!.neighbours.forEach((n, k) => {
      close(n.cosine, cos[k]!.c, "cosine", 1e-4);
    });
  }
});

test("co-activation counts and lift equal a brute-force count over held-out tokens", () => {
  const { m, held, value } = bruteForce();
  const fires = new Float64Array(m);
  const pairs = new Map<number, number>();
  for (const row of held) {
    const active: number[] = [];
    for (let i = 0; i < m; i++) if (value(row, i) > 0) active.push(i);
    for (const a of active) {
      fires[a]! += 1;
      for (const b of active) if (a !== b) pairs.set(a * m + b, (pairs.get(a * m + b) ?? 0) + 1);
    }
  }
  for (let a = 0; a < m; a += 53) {
    const expected = [...Array(m).keys()]
      .filter((b) => b !== a && (pairs.get(a * m + b) ?? 0) > 0)
      .map((b) => ({ b, n: pairs.get(a * m + b)! }))
      .sort((x, y) => y.n - x.n || x.b - y.b)
      .slice(0, 10);
    const got = data[a]!.coActivating;
    assert.deepEqual(
      got.map((c) => [c.index, c.count]),
      expected.map((e) => [e.b, e.n]),
    );
    got.forEach((c) => {
      close(c.lift, (c.count * held.length) / (fires[a]! * fires[c.index]!), "lift", 1e-12);
    });
  }
});

test("a split that holds out no row fails with a message naming the fix", () => {
  assert.throws(
    () =>
      computeFeatureData({
        store,
        sae,
        unembedding,
        tokenizer: { tokenString },
        selection: { ...selection, heldOutFraction: 0 },
      }),
    /no held-out rows/,
  );
});

test("token strings are stored as text: NUL shows as ␀ and a lone surrogate as �", () => {
  assert.equal(displayToken("a\u0000b"), "a\u2400b");
  assert.equal(displayToken("x\ud83d"), "x\ufffd");
  assert.equal(displayToken("\udc00y"), "\ufffdy");
  assert.equal(displayToken("ok 😀"), "ok 😀");
  const raw = computeFeatureData({
    store,
    sae,
    unembedding,
    tokenizer: { tokenString: (id) => (id % 2 === 0 ? "\u0000" : "\ud800") },
    selection,
  });
  const text = JSON.stringify(raw);
  assert.ok(!text.includes("\\u0000") && !/\\ud8/.test(text));
  assert.ok(text.includes("\u2400") && text.includes("\ufffd"));
});

test("a store whose last window is cut short gives every example one value per token, all finite", () => {
  // 2,040 rows of 16-token windows: the last window holds 8 rows (a harvest of N tokens ends mid-window).
  const rows = total - 8;
  const partialDir = mkdtempSync(join(tmpdir(), "feature-data-partial-"));
  try {
    const partial = writeStore(sae.dIn, rows, partialDir);
    const halfHeldOut = { seed: 0, heldOutFraction: 0.5, split: "heldOut" as const };
    const result = computeFeatureData({
      store: partial,
      sae,
      unembedding,
      tokenizer: { tokenString },
      selection: halfHeldOut,
    });
    for (const feature of result) {
      const examples = [...feature.examples, ...feature.quantiles.flatMap((q) => q.examples)];
      for (const example of examples) {
        assert.equal(example.tokens.length, example.values.length, `feature ${feature.index}: one value per token`);
        assert.ok(example.values.every(Number.isFinite), `feature ${feature.index}: finite values`);
        assert.ok(example.position < example.tokens.length);
      }
    }
  } finally {
    rmSync(partialDir, { recursive: true, force: true });
  }
});
