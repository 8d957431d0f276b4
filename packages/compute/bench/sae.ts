/**
 * SAE training throughput (rows = tokens per second) at d_in 256, d_sae 4096, batch 4096 for the standard and topk
 * architectures: the full training step of `trainSae` (batch fetch, forward, hand-written backward, clipping, Adam,
 * dead-latent bookkeeping). The same step runs with PyTorch on CPU (2 threads, float32) when a Python with torch
 * is available. Ours runs in this thread and with 2 data-parallel workers (one single-threaded wasm each, as many
 * as the peer's threads: the headline figure). Every side: one warm-up step, then STEPS timed steps. Also checks
 * that tf.memory() stays flat across the in-thread steps.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import type { BackendPreference } from "../src/backend-preference.js";
import { arrayRowSource } from "../src/sae/row-source.js";
import { trainSae } from "../src/sae/train.js";
import { createRng, normalArray } from "../src/stats/rng.js";
import { benchBackend } from "./backend.js";

const D_IN = 256;
const D_SAE = 4096;
const BATCH = 4096;
const K = 32;
const STEPS = 5;
const PEER_THREADS = 2;

interface PeerResult {
  peer: string | null;
  peer_tokens_per_s: number | null;
  reason?: string;
}

function runPeer(arch: string): PeerResult {
  const candidates = [process.env["INTERLACE_PYTHON"], "python3", "/usr/bin/python3"].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  const python = candidates.find((c) => spawnSync(c, ["-c", "import torch"], { stdio: "ignore" }).status === 0);
  if (!python)
    return { peer: null, peer_tokens_per_s: null, reason: "python3 -c 'import torch' fails: PyTorch is absent" };
  const args = [arch, D_IN, D_SAE, BATCH, STEPS, PEER_THREADS, K].map(String);
  const run = spawnSync(python, [join(import.meta.dirname, "sae_peer.py"), ...args], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: `${PEER_THREADS}` },
  });
  try {
    const parsed = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as { tokens_per_s: number; torch: string };
    return {
      peer: `pytorch ${parsed.torch} cpu ${PEER_THREADS} threads float32`,
      peer_tokens_per_s: parsed.tokens_per_s,
    };
  } catch {
    return { peer: null, peer_tokens_per_s: null, reason: `the PyTorch peer failed: ${run.stderr.trim().slice(-400)}` };
  }
}

async function oursTokensPerSecond(
  architecture: string,
  rows: Float32Array,
  workers: number,
  backend: BackendPreference,
): Promise<{ tps: number; flat: boolean }> {
  const stamps: number[] = [];
  const tensors: number[] = [];
  const { sae } = await trainSae(arrayRowSource(rows, D_IN, 1), {
    architecture,
    dSae: D_SAE,
    k: K,
    batchSize: BATCH,
    steps: STEPS + 1,
    normEstimationRows: BATCH,
    workers: { count: workers, backend },
    onProgress: () => {
      stamps.push(performance.now());
      tensors.push(tf.memory().numTensors);
    },
  });
  sae.dispose();
  const seconds = (stamps.at(-1)! - stamps[0]!) / 1000 / STEPS;
  return { tps: BATCH / seconds, flat: Math.max(...tensors) === Math.min(...tensors) };
}

export async function benchSae(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const log = (message: string) => {
    if (!opts.json) process.stderr.write(`${message}\n`);
  };
  const preference = benchBackend();
  const backend = await initBackend(preference);
  const rows = normalArray(BATCH * 4 * D_IN, createRng(7));
  const result: Record<string, unknown> = {
    d_in: D_IN,
    d_sae: D_SAE,
    batch: BATCH,
    k: K,
    steps: STEPS,
    backend,
    workers: PEER_THREADS,
  };
  for (const arch of ["standard", "topk"] as const) {
    const single = await oursTokensPerSecond(arch, rows, 1, preference);
    log(`${arch}: ours, one thread ${single.tps.toFixed(0)} tokens/s (${backend})`);
    const ours = await oursTokensPerSecond(arch, rows, PEER_THREADS, preference);
    log(`${arch}: ours, ${PEER_THREADS} data-parallel workers ${ours.tps.toFixed(0)} tokens/s`);
    const peer = runPeer(arch);
    log(
      peer.peer
        ? `${arch}: peer ${peer.peer_tokens_per_s?.toFixed(0)} tokens/s (${peer.peer})`
        : `peer skipped: ${peer.reason}`,
    );
    const ratio = peer.peer_tokens_per_s === null ? null : Number((ours.tps / peer.peer_tokens_per_s).toFixed(3));
    const prefix = arch === "standard" ? "" : "topk_";
    result[`${prefix}tokens_per_s`] = Math.round(ours.tps);
    result[`${prefix}single_thread_tokens_per_s`] = Math.round(single.tps);
    result[`${prefix}peer_tokens_per_s`] = peer.peer_tokens_per_s === null ? null : Math.round(peer.peer_tokens_per_s);
    result[`${prefix}ratio`] = ratio;
    result[`${prefix}tensors_flat`] = single.flat;
    result["peer"] = peer.peer;
    if (peer.reason) result["reason"] = peer.reason;
  }
  result["peak_rss_mb"] = Math.round(process.resourceUsage().maxRSS / 1024);
  result["tensors_left"] = tf.memory().numTensors;
  return result;
}
