/**
 * Study memory benchmark: peak RSS of a whole study (harvest → SAE → feature data → NFM and controls → CE loss →
 * inspection) on the fixture model, per stage, at several token counts, each in its own process started with the
 * product's allocator setting (so each peak is that run's alone and what `interlace study run` would see).
 *
 * The default preset's sizes (SAE width, K, seeds, context, batch sizes) with shortened step budgets: memory depends
 * on the rows held (x, r and the sparse codes, O(tokens); r_nl is computed per batch) and on the widths, not on how
 * many steps are taken, and the full budgets would make a 1 M-token run take hours. `npm run bench -- study-memory [--tokens 100000,200000]`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { allocatorEnv } from "../src/allocator-env.mjs";
import { fixturePath } from "../src/testing/fixtures.js";

const DEFAULT_TOKENS = [100_000, 200_000, 1_000_000];
const SHORT_STEPS = { saeSteps: 300, nfmSteps: 150, residualSaeSteps: 150 };
const SAMPLE_MS = 200;
const repoRoot = join(import.meta.dirname, "..", "..", "..");

interface RunFigures {
  tokens: number;
  engine: string;
  seconds: number;
  /** Peak RSS of the process (all its threads). */
  peak_rss_mb: number;
  /** Highest RSS sampled while each stage ran. */
  stage_peak_rss_mb: Record<string, number>;
}

const rssMb = () => {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
};

/** One study in this process; prints its figures as one JSON line. */
async function childRun(tokens: number, dir: string): Promise<void> {
  const { runStudy } = await import("../src/study/run-study.js");
  const { presetSettings } = await import("../src/study/options.js");
  const { benchBackend } = await import("./backend.js");
  const settings = { ...presetSettings("default"), ...SHORT_STEPS, tokens };
  const stages: Record<string, number> = {};
  let stage = "start";
  const sample = () => {
    stages[stage] = Math.max(stages[stage] ?? 0, Math.round(rssMb()));
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const started = Date.now();
  const result = await runStudy({
    name: `memory-${tokens}`,
    modelDir: fixturePath("models", "sotu-gpt2-6l"),
    modelName: "sotu-gpt2-6l",
    layer: 3,
    settings,
    workDir: dir,
    backend: benchBackend(),
    onProgress: (p) => {
      sample();
      // The stage is the message's leading words (e.g. "harvest", "SAE step", "training full", "inspecting").
      stage = p.message.replace(/[\d/.,()=λ]+.*$/, "").trim() || stage;
      stage = stage.startsWith("training ") ? "interaction models and controls" : stage;
      sample();
    },
  });
  clearInterval(timer);
  sample();
  const figures: RunFigures = {
    tokens,
    engine: result.report.provenance.backend,
    seconds: Math.round((Date.now() - started) / 1000),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    stage_peak_rss_mb: stages,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function spawnRun(tokens: number, dir: string): RunFigures {
  const env = allocatorEnv(process.env, process.platform) ?? process.env;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--child", String(tokens), dir],
    { cwd: repoRoot, env, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (child.status !== 0) throw new Error(`study memory run (${tokens} tokens) failed:\n${child.stderr.slice(-4000)}`);
  const last = child.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as RunFigures;
}

/** Token counts from `--tokens a,b,…` on the command line, else the defaults. */
function tokenCounts(): number[] {
  const flag = process.argv.indexOf("--tokens");
  if (flag < 0) return DEFAULT_TOKENS;
  const counts = (process.argv[flag + 1] ?? "").split(",").map(Number);
  if (counts.length === 0 || !counts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`--tokens takes whole token counts separated by commas, e.g. --tokens 100000,200000.`);
  }
  return counts;
}

export async function benchStudyMemory(opts: { json: boolean }): Promise<Record<string, unknown>> {
  const runs: RunFigures[] = [];
  for (const tokens of tokenCounts()) {
    const dir = mkdtempSync(join(tmpdir(), "interlace-bench-study-"));
    try {
      const figures = spawnRun(tokens, dir);
      runs.push(figures);
      if (!opts.json) process.stderr.write(`study ${tokens} tokens: ${JSON.stringify(figures)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    model: "sotu-gpt2-6l",
    hook: "blocks.3.hook_resid_post",
    preset: "default",
    steps: SHORT_STEPS,
    allocator: process.platform === "linux" ? "GLIBC_TUNABLES as bin/interlace.mjs sets it" : "platform default",
    runs,
  };
}

const childFlag = process.argv.indexOf("--child");
if (childFlag >= 0 && process.argv[1] === fileURLToPath(import.meta.url)) {
  await childRun(Number(process.argv[childFlag + 1]), process.argv[childFlag + 2]!);
}
