/**
 * Forward-pass throughput (logits included) at batch × context = 16 × 128 on the sotu-gpt2-6l fixture, against
 * PyTorch on CPU (2 threads, float32, inference mode, same shapes) when a Python with torch is available.
 * Ours runs in-process on the chosen engine (INTERLACE_BACKEND, auto: the fastest measured; ONNX Runtime then uses
 * every core) and, for every engine, as a ForwardPool of one single-threaded worker per thread the peer uses. The
 * headline `tokens_per_s` is the faster layout of the chosen engine. Every side: one warm-up, then the median of RUNS
 * timed runs; the peer runs in the same process run, right after ours.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { ENGINES, type Engine } from "../src/backend-preference.js";
import { measureEngines } from "../src/engine-measure.js";
import { onnxThreads } from "../src/engine-start.js";
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
  /** Tokens/s with OMP_WAIT_POLICY=ACTIVE and PASSIVE (or why a run failed). */
  peer_by_wait_policy?: { active: number | string | undefined; passive: number | string | undefined };
  /** The peer's x[2048,256]·W[256,1024] GFLOP/s: an optimised BLAS shows tens, the reference BLAS a few. */
  peer_matmul_gflops?: number;
  reason?: string;
}

/** One run of the PyTorch peer with OpenMP's idle threads spinning (its default) or sleeping (`PASSIVE`). */
function runPeerOnce(
  python: string,
  modelDir: string,
  waitPolicy: "ACTIVE" | "PASSIVE",
): { tokensPerS: number; matmulGflops: number } | string {
  const script = join(import.meta.dirname, "lm_peer.py");
  const run = spawnSync(python, [script, modelDir, `${BATCH}`, `${CONTEXT}`, `${RUNS}`, `${PEER_THREADS}`], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: `${PEER_THREADS}`, OMP_WAIT_POLICY: waitPolicy },
  });
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    const parsed = JSON.parse(line) as { tokens_per_s: number; matmul_gflops: number };
    return { tokensPerS: parsed.tokens_per_s, matmulGflops: parsed.matmul_gflops };
  } catch {
    return `the PyTorch peer failed: ${run.stderr.trim().slice(-400)}`;
  }
}

/**
 * The peer, measured both with spinning and with sleeping idle threads (spinning collapses on a loaded machine,
 * sleeping can cost a little on an idle one); the faster counts, so the comparison never favours us.
 */
function runPeer(modelDir: string): PeerResult {
  // Debian installs python3-torch for its own interpreter, which may not be the first python3 on PATH.
  const candidates = [process.env["INTERLACE_PYTHON"], "python3", "/usr/bin/python3"].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  const python = candidates.find((c) => spawnSync(c, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0);
  if (!python) {
    return { peer: null, peer_tokens_per_s: null, reason: "python3 -c 'import torch, numpy' fails: PyTorch is absent" };
  }
  const version = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], {
    encoding: "utf8",
  }).stdout.trim();
  const runs = (["ACTIVE", "PASSIVE"] as const).map((policy) => runPeerOnce(python, modelDir, policy));
  const figures = runs.filter((r) => typeof r !== "string");
  if (figures.length === 0) return { peer: null, peer_tokens_per_s: null, reason: String(runs[0]) };
  const shown = (r: (typeof runs)[number]) => (typeof r === "string" ? r : Math.round(r.tokensPerS));
  return {
    peer: `pytorch ${version} cpu ${PEER_THREADS} threads float32`,
    peer_tokens_per_s: Math.max(...figures.map((f) => f.tokensPerS)),
    peer_by_wait_policy: { active: shown(runs[0]), passive: shown(runs[1]) },
    peer_matmul_gflops: Number(Math.max(...figures.map((f) => f.matmulGflops)).toFixed(1)),
  };
}

/** Median seconds of RUNS timed calls after one warm-up. */
async function timeRuns(run: () => Promise<void> | void): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/** Tokens per second of a pool of PEER_THREADS workers on `engine`, or why that engine cannot start. */
async function poolTokensPerS(modelDir: string, engine: Engine, ids: number[][]): Promise<number | string> {
  const pool = await ForwardPool.open(modelDir, { workers: PEER_THREADS, backend: engine }).catch(
    (error: Error) => error.message,
  );
  if (typeof pool === "string") return pool;
  try {
    const seconds = await timeRuns(async () => {
      await pool.forward(ids);
    });
    return (BATCH * CONTEXT) / seconds;
  } finally {
    await pool.close();
  }
}

export async function benchLm(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const log = (message: string) => {
    if (!opts.json) process.stderr.write(`${message}\n`);
  };
  const preference = benchBackend();
  const measurement = await measureEngines();
  log(`product GFLOP/s on this thread: ${JSON.stringify(measurement.gflops)}`);
  const engine = preference === "auto" ? measurement.engine : preference;
  await initBackend(engine);
  const modelDir = join(fixturesDir, "models", "sotu-gpt2-6l");
  const model = await loadModel(modelDir, { backend: engine });
  const ids = tokenIds(model.info.vocabSize);
  const inProcessSeconds = await timeRuns(() => {
    const { logits } = model.forward(ids);
    logits!.dataSync();
    logits!.dispose();
  });
  const inProcessTokensPerS = (BATCH * CONTEXT) / inProcessSeconds;
  log(
    `ours, in-process on ${engine}: ${inProcessTokensPerS.toFixed(0)} tokens/s, median ${inProcessSeconds.toFixed(3)} s`,
  );
  model.dispose();

  const engines: Record<string, Record<string, unknown>> = {};
  for (const candidate of ENGINES) {
    const pooled = await poolTokensPerS(modelDir, candidate, ids);
    const gflops = measurement.gflops[candidate] ?? null;
    if (typeof pooled === "string") {
      engines[candidate] = { product_gflops: gflops, reason: pooled };
      log(`${candidate}: skipped (${pooled})`);
    } else {
      engines[candidate] = { product_gflops: gflops, pool_tokens_per_s: Math.round(pooled) };
      log(`${candidate}: ${PEER_THREADS} workers ${pooled.toFixed(0)} tokens/s`);
    }
  }
  engines[engine]!["in_process_tokens_per_s"] = Math.round(inProcessTokensPerS);
  const poolOfEngine = engines[engine]!["pool_tokens_per_s"] as number;
  const tokensPerS = Math.max(inProcessTokensPerS, poolOfEngine);
  const peer = runPeer(modelDir);
  log(
    peer.peer ? `peer: ${peer.peer_tokens_per_s?.toFixed(0)} tokens/s (${peer.peer})` : `peer skipped: ${peer.reason}`,
  );
  return {
    model: "sotu-gpt2-6l",
    batch: BATCH,
    context: CONTEXT,
    runs: RUNS,
    backend: engine,
    layout: tokensPerS === inProcessTokensPerS ? `in-process, ${onnxThreads()} threads` : `${PEER_THREADS} workers`,
    workers: PEER_THREADS,
    tokens_per_s: Math.round(tokensPerS),
    engines,
    load_average: loadavg().map((l) => Number(l.toFixed(2))),
    peer: peer.peer,
    peer_tokens_per_s: peer.peer_tokens_per_s === null ? null : Math.round(peer.peer_tokens_per_s),
    ...(peer.peer_by_wait_policy ? { peer_by_omp_wait_policy: peer.peer_by_wait_policy } : {}),
    ...(peer.peer_matmul_gflops ? { peer_matmul_gflops: peer.peer_matmul_gflops } : {}),
    ratio: peer.peer_tokens_per_s === null ? null : Number((tokensPerS / peer.peer_tokens_per_s).toFixed(3)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    tensors_left: tf.memory().numTensors,
    ...(peer.reason ? { reason: peer.reason } : {}),
  };
}
