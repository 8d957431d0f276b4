/**
 * The feature-data pass (computeFeatureData) on stores of 200 k and 1 M rows: rows per second and the peak resident
 * memory of a process that only runs the pass. The SAE is the fixture SAE's 1,024 features twice over (the second
 * copy with a lower encoder bias), 2,048 features as in the default study; rows are Gaussian at the scale where the
 * fixture SAE fires on ≈ 21 features a token; the unembedding is the fixture model's. Each size runs in a child
 * process so its peak RSS is its own.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../src/backend.js";
import { loadModel } from "../src/lm/load-model.js";
import { Sae } from "../src/sae/sae.js";
import { loadSaeLens } from "../src/sae/saelens.js";
import { createRng } from "../src/stats/rng.js";
import { ActivationStore } from "../src/store/reader.js";
import { ActivationStoreWriter } from "../src/store/writer.js";
import { computeFeatureData } from "../src/study/feature-data/feature-data.js";
import { fixturePath } from "../src/testing/fixtures.js";
import { benchBackend } from "./backend.js";

const SIZES = [200_000, 1_000_000];
const CONTEXT = 128;
const ROWS_PER_SHARD = 8192;

function doubledFixtureSae(): Sae {
  const base = loadSaeLens(fixturePath("saes", "sotu-gpt2-6l-L3-standard-1024"));
  const { d_in: d, d_sae: m } = base.cfg;
  const w = base.weights;
  const W_enc = new Float32Array(d * 2 * m);
  for (let r = 0; r < d; r++) {
    W_enc.set(w.W_enc.subarray(r * m, (r + 1) * m), r * 2 * m);
    W_enc.set(w.W_enc.subarray(r * m, (r + 1) * m), r * 2 * m + m);
  }
  const W_dec = new Float32Array(2 * m * d);
  W_dec.set(w.W_dec);
  W_dec.set(w.W_dec, m * d);
  const b_enc = new Float32Array(2 * m);
  b_enc.set(w.b_enc);
  b_enc.set(
    w.b_enc.map((b) => b - 0.05),
    m,
  );
  return new Sae({ ...base.cfg, d_sae: 2 * m }, { W_enc, W_dec, b_enc, b_dec: w.b_dec });
}

function writeStore(dir: string, rows: number, d: number): void {
  const rng = createRng(11);
  const writer = ActivationStoreWriter.open(dir, {
    model: "sotu-gpt2-6l",
    modelType: "gpt2",
    hook: "blocks.3.hook_resid_post",
    d,
    context: CONTEXT,
    bos: false,
    dtype: "float32",
    corpus: "gaussian",
    tokens: rows,
    rowsPerShard: ROWS_PER_SHARD,
  });
  writer.setDocuments(Array.from({ length: rows / 1024 }, (_, i) => `doc-${i}`));
  for (let start = 0; start < rows; start += ROWS_PER_SHARD) {
    const n = Math.min(ROWS_PER_SHARD, rows - start);
    const x = Float32Array.from({ length: n * d }, () => rng.normal());
    const tokens = Int32Array.from({ length: n }, () => rng.int(8000));
    const docs = Int32Array.from({ length: n }, (_, r) => Math.floor((start + r) / 1024));
    const offsets = Int32Array.from({ length: n }, (_, r) => (start + r) % 1024);
    writer.append({ x, tokens, docs, offsets }, n, () => true);
  }
  writer.finish();
}

/** Child process: one pass over the store in `dir`; prints rows/s and peak RSS as JSON. */
async function measure(dir: string): Promise<void> {
  const backend = benchBackend();
  await initBackend(backend);
  const sae = doubledFixtureSae();
  const model = await loadModel(fixturePath("models", "sotu-gpt2-6l"), { backend });
  const store = ActivationStore.open(dir);
  const started = performance.now();
  const data = computeFeatureData({
    store,
    sae,
    unembedding: model.unembedding(),
    tokenizer: model.tokenizer,
    selection: { split: "all" },
  });
  const seconds = (performance.now() - started) / 1000;
  const l0 = data.reduce((sum, f) => sum + f.density, 0);
  console.log(
    JSON.stringify({
      rows: store.rows,
      seconds: Number(seconds.toFixed(1)),
      rows_per_s: Math.round(store.rows / seconds),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      l0: Number(l0.toFixed(1)),
    }),
  );
}

export async function benchFeatureData(): Promise<Record<string, unknown>> {
  const runs: unknown[] = [];
  for (const rows of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), "bench-feature-data-"));
    try {
      writeStore(dir, rows, 256);
      const child = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "measure", dir], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      if (child.status !== 0) throw new Error(`the measuring process failed: ${child.stderr.slice(-2000)}`);
      runs.push(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "null"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { d_in: 256, d_sae: 2048, context: CONTEXT, runs };
}

if (process.argv[2] === "measure" && process.argv[3]) await measure(process.argv[3]);
