/**
 * Forward-pass throughput (logits included) at batch × context = 16 × 128 on the sotu-gpt2-6l fixture, against
 * PyTorch on CPU (2 threads, float32, inference mode, same shapes) when a Python with torch is available.
 * Ours runs twice: in-process on one thread, and as a ForwardPool with one single-threaded wasm worker per thread
 * the peer uses (the headline figure). Every side: one warm-up, then the median of RUNS timed runs.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { ForwardPool } from "../src/lm/forward-pool.js";
import { loadModel } from "../src/lm/load-model.js";
import { fixturesDir } from "../src/testing/fixtures.js";
import { benchBackend } from "./backend.js";

const BATCH = 16;
const CONTEXT = 128;
const RUNS = 7;
const PEER_THREADS = 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Deterministic token ids (a linear congruential sequence); their content does not affect speed. */
function tokenIds(vocab: number): number[][] {
  let state = 12345;
  return Array.from({ length: BATCH }, () =>
    Array.from({ length: CONTEXT }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % vocab;
    }),
  );
}

interface PeerResult {
  peer: string | null;
  peer_tokens_per_s: number | null;
  reason?: string;
}

function runPeer(modelDir: string): PeerResult {
  const script = join(import.meta.dirname, "lm_peer.py");
  // Debian installs python3-torch for its own interpreter, which may not be the first python3 on PATH.
  const candidates = [process.env["INTERLACE_PYTHON"], "python3", "/usr/bin/python3"].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  const python = candidates.find((c) => spawnSync(c, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0);
  if (!python) {
    return { peer: null, peer_tokens_per_s: null, reason: "python3 -c 'import torch, numpy' fails: PyTorch is absent" };
  }
  const run = spawnSync(python, [script, modelDir, `${BATCH}`, `${CONTEXT}`, `${RUNS}`, `${PEER_THREADS}`], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: `${PEER_THREADS}` },
  });
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    const parsed = JSON.parse(line) as { tokens_per_s: number; torch: string };
    return {
      peer: `pytorch ${parsed.torch} cpu ${PEER_THREADS} threads float32`,
      peer_tokens_per_s: parsed.tokens_per_s,
    };
  } catch {
    return { peer: null, peer_tokens_per_s: null, reason: `the PyTorch peer failed: ${run.stderr.trim().slice(-400)}` };
  }
}

export async function benchLm(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const log = (message: string) => {
    if (!opts.json) process.stderr.write(`${message}\n`);
  };
  const preference = benchBackend();
  const backend = await initBackend(preference);
  const modelDir = join(fixturesDir, "models", "sotu-gpt2-6l");
  const model = await loadModel(modelDir, { backend: preference });
  const ids = tokenIds(model.info.vocabSize);
  const once = () => {
    const start = performance.now();
    const { logits } = model.forward(ids);
    logits!.dataSync();
    logits!.dispose();
    return (performance.now() - start) / 1000;
  };
  once();
  const singleSeconds = median(Array.from({ length: RUNS }, once));
  const singleTokensPerS = (BATCH * CONTEXT) / singleSeconds;
  log(`ours, one thread: ${singleTokensPerS.toFixed(0)} tokens/s (${backend}), median ${singleSeconds.toFixed(3)} s`);
  model.dispose();

  const pool = await ForwardPool.open(modelDir, { workers: PEER_THREADS, backend: preference });
  const poolTimes: number[] = [];
  try {
    await pool.forward(ids);
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await pool.forward(ids);
      poolTimes.push((performance.now() - start) / 1000);
    }
  } finally {
    await pool.close();
  }
  const seconds = median(poolTimes);
  const tokensPerS = (BATCH * CONTEXT) / seconds;
  log(`ours, ${PEER_THREADS} workers: ${tokensPerS.toFixed(0)} tokens/s, median ${seconds.toFixed(3)} s`);
  const peer = runPeer(modelDir);
  log(
    peer.peer ? `peer: ${peer.peer_tokens_per_s?.toFixed(0)} tokens/s (${peer.peer})` : `peer skipped: ${peer.reason}`,
  );
  return {
    model: "sotu-gpt2-6l",
    batch: BATCH,
    context: CONTEXT,
    runs: RUNS,
    backend,
    workers: PEER_THREADS,
    tokens_per_s: Math.round(tokensPerS),
    single_thread_tokens_per_s: Math.round(singleTokensPerS),
    peer: peer.peer,
    peer_tokens_per_s: peer.peer_tokens_per_s === null ? null : Math.round(peer.peer_tokens_per_s),
    ratio: peer.peer_tokens_per_s === null ? null : Number((tokensPerS / peer.peer_tokens_per_s).toFixed(3)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    tensors_left: tf.memory().numTensors,
    ...(peer.reason ? { reason: peer.reason } : {}),
  };
}
