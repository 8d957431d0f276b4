/**
 * SAE training throughput (rows = tokens per second) at d_in 256, d_sae 4096, batch 4096, k 32 for the standard and
 * topk architectures, through `trainSae` on 2 data-parallel workers (one single-threaded wasm each, as many as the
 * peer's threads): batch fetch, forward, backward (sparse products once the code is sparse), clipping, Adam,
 * dead-latent bookkeeping. Two figures each:
 * - steady state: from a synthesised trained SAE (the data's dictionary; standard: encoder bias set for L0 ≈ 30,
 *   topk: k = 32), WARMUP untimed steps, then STEADY_STEPS timed;
 * - whole run: RUN_STEPS steps from the SAELens initialisation, timed from the call (workers' start-up and the
 *   dense early phase included).
 * The PyTorch peer (CPU, 2 threads, float32, dense as SAELens) runs the same steps on the same rows from the same
 * weights in the same run. Also records peak RSS and the RSS growth from step 50 to the end of the whole run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import type { BackendPreference } from "../src/backend-preference.js";
import { saeArchitectures } from "../src/sae/architectures.js";
import { syntheticSparseRows } from "../src/sae/synthetic.js";
import { trainSae } from "../src/sae/train.js";
import type { RowSource, SaeConfig, SaeWeights } from "../src/sae/types.js";
import { createRng } from "../src/stats/rng.js";
import { benchBackend } from "./backend.js";

const D_IN = 256;
const D_SAE = 4096;
const BATCH = 4096;
const K = 32;
/** Active dictionary directions per synthetic row, and the standard SAE's L0 the steady state is set for. */
const ACTIVE_PER_ROW = 30;
const WARMUP = 5;
const STEADY_STEPS = 20;
const RUN_STEPS = 300;
const PEER_THREADS = 2;
/** Rows of data: the batches cycle through them in order on both sides. */
const ROWS = BATCH * 8;

/** Consecutive batches of `data`, cycling (the peer serves the same batches). */
function sequentialSource(data: Float32Array, d: number): RowSource {
  const n = data.length / d;
  let cursor = 0;
  return {
    d,
    nextBatch(batchSize: number): Float32Array {
      const out = new Float32Array(batchSize * d);
      for (let b = 0; b < batchSize; b++) {
        out.set(data.subarray(cursor * d, (cursor + 1) * d), b * d);
        cursor = (cursor + 1) % n;
      }
      return out;
    },
  };
}

/** A trained SAE for the synthetic data: its dictionary as decoder and encoder; b_enc = −θ with θ the pre-activation
 *  quantile that leaves `l0` active latents per row on a sample (standard), or 0 (topk). */
function synthesisedSae(dictionary: Float32Array, rows: Float32Array, l0: number | null): SaeWeights {
  const W_dec = Float32Array.from(dictionary);
  const W_enc = tf.tidy(() => tf.transpose(tf.tensor2d(W_dec, [D_SAE, D_IN])).dataSync() as Float32Array);
  const b_enc = new Float32Array(D_SAE);
  if (l0 !== null) {
    const sample = 512;
    const pre = tf.tidy(
      () =>
        tf
          .matMul(tf.tensor2d(rows.subarray(0, sample * D_IN), [sample, D_IN]), tf.tensor2d(W_enc, [D_IN, D_SAE]))
          .dataSync() as Float32Array,
    );
    const sorted = Float32Array.from(pre).sort();
    b_enc.fill(-sorted[sorted.length - sample * l0]!);
  }
  return { W_enc, W_dec, b_enc, b_dec: new Float32Array(D_IN) };
}

function rawFile(dir: string, name: string, parts: Float32Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  return path;
}

interface PeerResult {
  peer: string | null;
  steady: number | null;
  run: number | null;
  reason?: string;
}

function runPeer(arch: string, files: { rows: string; steady: string; run: string }): PeerResult {
  const candidates = [process.env["INTERLACE_PYTHON"], "python3", "/usr/bin/python3"].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  const python = candidates.find((c) => spawnSync(c, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0);
  if (!python) {
    return { peer: null, steady: null, run: null, reason: "python3 -c 'import torch, numpy' fails: PyTorch is absent" };
  }
  const args = [arch, D_IN, D_SAE, BATCH, K, PEER_THREADS, files.rows, files.steady, files.run, WARMUP, STEADY_STEPS];
  const run = spawnSync(python, [join(import.meta.dirname, "sae_peer.py"), ...args.map(String), String(RUN_STEPS)], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: `${PEER_THREADS}` },
  });
  try {
    const parsed = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as {
      steady_tokens_per_s: number;
      run_tokens_per_s: number;
      torch: string;
    };
    return {
      peer: `pytorch ${parsed.torch} cpu ${PEER_THREADS} threads float32`,
      steady: parsed.steady_tokens_per_s,
      run: parsed.run_tokens_per_s,
    };
  } catch {
    return { peer: null, steady: null, run: null, reason: `the PyTorch peer failed: ${run.stderr.trim().slice(-400)}` };
  }
}

interface Ours {
  steady: number;
  steadyL0: number;
  run: number;
  runL0: number;
  rssGrowthMb: number;
}

async function ours(
  architecture: string,
  data: Float32Array,
  weights: { steady: SaeWeights; run: SaeWeights },
  backend: BackendPreference,
): Promise<Ours> {
  const common = {
    architecture,
    dSae: D_SAE,
    k: K,
    batchSize: BATCH,
    normalize: "none" as const,
    workers: { count: PEER_THREADS, backend },
  };
  const stamps: number[] = [];
  const l0s: number[] = [];
  const steady = await trainSae(sequentialSource(data, D_IN), {
    ...common,
    steps: WARMUP + STEADY_STEPS,
    initialWeights: weights.steady,
    onProgress: (p) => {
      stamps.push(performance.now());
      if (p.step > WARMUP) l0s.push(p.l0);
    },
  });
  steady.sae.dispose();
  const steadySeconds = (stamps.at(-1)! - stamps[WARMUP - 1]!) / 1000 / STEADY_STEPS;
  const rss: number[] = [];
  const started = performance.now();
  const run = await trainSae(sequentialSource(data, D_IN), {
    ...common,
    steps: RUN_STEPS,
    initialWeights: weights.run,
    onProgress: (p) => {
      if (p.step === 50 || p.step === RUN_STEPS) rss.push(process.memoryUsage().rss);
    },
  });
  const runSeconds = (performance.now() - started) / 1000;
  run.sae.dispose();
  return {
    steady: BATCH / steadySeconds,
    steadyL0: l0s.reduce((a, b) => a + b, 0) / l0s.length,
    run: (RUN_STEPS * BATCH) / runSeconds,
    runL0: run.last?.l0 ?? Number.NaN,
    rssGrowthMb: Math.round((rss[1]! - rss[0]!) / 2 ** 20),
  };
}

export async function benchSae(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const log = (message: string) => {
    if (!opts.json) process.stderr.write(`${message}\n`);
  };
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const preference = benchBackend();
  const backend = await initBackend(preference);
  const { data, dictionary } = syntheticSparseRows({
    rows: ROWS,
    d: D_IN,
    features: D_SAE,
    activePerRow: ACTIVE_PER_ROW,
    seed: 7,
  });
  const result: Record<string, unknown> = {
    d_in: D_IN,
    d_sae: D_SAE,
    batch: BATCH,
    k: K,
    steady_steps: STEADY_STEPS,
    run_steps: RUN_STEPS,
    backend,
    workers: PEER_THREADS,
  };
  const dir = mkdtempSync(join(tmpdir(), "interlace-bench-sae-"));
  try {
    const rowsFile = rawFile(dir, "rows.f32", [data]);
    for (const arch of ["standard", "topk"] as const) {
      const training = saeArchitectures.get(arch).training!;
      const cfg: SaeConfig = {
        architecture: arch,
        d_in: D_IN,
        d_sae: D_SAE,
        k: K,
        apply_b_dec_to_input: true,
        normalize_activations: "none",
        metadata: {},
      };
      const weights = {
        steady: synthesisedSae(dictionary, data, arch === "standard" ? ACTIVE_PER_ROW : null),
        run: training.initWeights(cfg, createRng(1), { decoderInitNorm: arch === "topk" ? 1 : 0.1 }),
      };
      const files = {
        rows: rowsFile,
        steady: rawFile(dir, `${arch}-steady.f32`, [
          weights.steady.W_enc,
          weights.steady.W_dec,
          weights.steady.b_enc,
          weights.steady.b_dec,
        ]),
        run: rawFile(dir, `${arch}-run.f32`, [
          weights.run.W_enc,
          weights.run.W_dec,
          weights.run.b_enc,
          weights.run.b_dec,
        ]),
      };
      const mine = await ours(arch, data, weights, preference);
      log(
        `${arch}: ours steady ${mine.steady.toFixed(0)} tokens/s (L0 ${mine.steadyL0.toFixed(1)}), whole run ${mine.run.toFixed(0)} tokens/s`,
      );
      const peer = runPeer(arch, files);
      log(
        peer.peer
          ? `${arch}: peer steady ${peer.steady?.toFixed(0)} tokens/s, whole run ${peer.run?.toFixed(0)} (${peer.peer})`
          : `peer skipped: ${peer.reason}`,
      );
      const ratio = (a: number, b: number | null) => (b === null ? null : Number((a / b).toFixed(3)));
      const prefix = arch === "standard" ? "" : "topk_";
      result[`${prefix}tokens_per_s`] = Math.round(mine.steady);
      result[`${prefix}peer_tokens_per_s`] = peer.steady === null ? null : Math.round(peer.steady);
      result[`${prefix}ratio`] = ratio(mine.steady, peer.steady);
      result[`${prefix}steady_l0`] = Number(mine.steadyL0.toFixed(1));
      result[`${prefix}run_tokens_per_s`] = Math.round(mine.run);
      result[`${prefix}run_peer_tokens_per_s`] = peer.run === null ? null : Math.round(peer.run);
      result[`${prefix}run_ratio`] = ratio(mine.run, peer.run);
      result[`${prefix}run_final_l0`] = Number(mine.runL0.toFixed(1));
      result[`${prefix}run_rss_growth_mb`] = mine.rssGrowthMb;
      result["peer"] = peer.peer;
      if (peer.reason) result["reason"] = peer.reason;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result["load_average_1m_start"] = Number(loadBefore.toFixed(1));
  result["load_average_1m_end"] = Number(loadavg()[0]!.toFixed(1));
  result["bench_seconds"] = Math.round((performance.now() - started) / 1000);
  result["peak_rss_mb"] = Math.round(process.resourceUsage().maxRSS / 1024);
  result["tensors_left"] = tf.memory().numTensors;
  return result;
}
