/**
 * Harvest benchmark: tokens/s and peak RSS of `harvest` on the fixture model for two corpus sizes, each in its own
 * process so peak RSS is that run's alone. Bounded memory shows as nearly equal peaks for both sizes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixturePath } from "../src/testing/fixtures.js";

const HOOK = "blocks.3.hook_resid_post";
const CONTEXT = 128;
const SIZES = [16_384, 131_072];
const repoRoot = join(import.meta.dirname, "..", "..", "..");
const modelDir = fixturePath("models", "sotu-gpt2-6l");

interface RunFigures {
  /** The compute engine the run used (INTERLACE_BACKEND; auto: the fastest measured). */
  engine: string;
  tokens: number;
  seconds: number;
  tokens_per_s: number;
  peak_rss_mb: number;
  store_mb: number;
}

/** One harvest in this process; prints its figures as one JSON line. */
async function childRun(tokens: number, out: string): Promise<void> {
  const { loadModel } = await import("../src/lm/load-model.js");
  const { openCorpus } = await import("../src/corpus/open-corpus.js");
  const { harvest } = await import("../src/harvest/harvest.js");
  const { benchBackend } = await import("./backend.js");
  const { initBackend } = await import("../src/backend.js");
  const engine = await initBackend(benchBackend());
  const model = await loadModel(modelDir, { backend: engine });
  const result = await harvest({
    model,
    hook: HOOK,
    corpus: openCorpus("sotu,moby-dick"),
    tokens,
    context: CONTEXT,
    batchSize: 8,
    out,
  });
  model.dispose();
  const bytes = result.manifest.shards.reduce((n, s) => n + s.bytes, 0);
  const figures: RunFigures = {
    engine,
    tokens: result.manifest.rows,
    seconds: Number(result.seconds.toFixed(2)),
    tokens_per_s: Math.round(result.tokensPerSecond),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    store_mb: Math.round(bytes / 2 ** 20),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function spawnRun(tokens: number, out: string): RunFigures {
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--child", String(tokens), out],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`harvest benchmark run (${tokens} tokens) failed:\n${child.stderr}`);
  const last = child.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as RunFigures;
}

export async function benchHarvest(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "interlace-bench-harvest-"));
  try {
    const runs: RunFigures[] = [];
    for (const tokens of SIZES) {
      const figures = spawnRun(tokens, join(dir, String(tokens)));
      runs.push(figures);
      if (!opts.json) process.stderr.write(`harvest ${tokens} tokens: ${JSON.stringify(figures)}\n`);
    }
    const small = runs[0]!;
    const large = runs.at(-1)!;
    return {
      model: "sotu-gpt2-6l",
      backend: large.engine,
      hook: HOOK,
      context: CONTEXT,
      batch_windows: 8,
      dtype: "float32",
      runs,
      tokens_per_s: large.tokens_per_s,
      peak_rss_mb: large.peak_rss_mb,
      rss_growth_mb: large.peak_rss_mb - small.peak_rss_mb,
      store_growth_mb: large.store_mb - small.store_mb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childFlag = process.argv.indexOf("--child");
if (childFlag >= 0 && process.argv[1] === fileURLToPath(import.meta.url)) {
  await childRun(Number(process.argv[childFlag + 1]), process.argv[childFlag + 2]!);
}
