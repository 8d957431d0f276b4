// Token cost of explaining features, measured against the local Claude stub's usage fields (one token per 4
// characters of prompt and reply): builds a tiny study of the fixture model, explains its N densest features with
// `interlace explain`, and prints the tokens per feature. Usage: npx tsx scripts/explain-cost.ts [N]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startClaudeStub, stubTokens } from "@interlace/server/testing";

const root = resolve(import.meta.dirname, "..");
const fixtures = process.env.INTERLACE_FIXTURES ?? join(root, "tests", "fixtures");
const n = Number(process.argv[2] ?? 10);
const home = mkdtempSync(join(tmpdir(), "interlace-explain-cost-"));
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(root, "apps", "cli", "bin", "interlace.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", INTERLACE_HOME: home, ...env },
    encoding: "utf8",
  });

const REPLY = "Fires on the second word of a date or a number in a list, predicting a following comma or year.";
try {
  const study = cli([
    "study",
    "run",
    "--model",
    join(fixtures, "models", "sotu-gpt2-6l"),
    "--layer",
    "3",
    "--preset",
    "tiny",
    "--tokens",
    "5000",
    "--sae-steps",
    "120",
    "--nfm-steps",
    "80",
    "--residual-sae-steps",
    "80",
    "--joint-steps",
    "30",
    "--workers",
    "2",
    "--name",
    "cost",
  ]);
  if (study.status !== 0) throw new Error(study.stderr);
  const calls: { kind: string; input: number; output: number }[] = [];
  const stub = await startClaudeStub((request) => {
    const kind = request.prompt.includes("Some of them activate")
      ? "detection"
      : request.prompt.includes("markings are correct")
        ? "fuzzing"
        : "explain";
    const count = Number(/Answer with a JSON list of (\d+)/.exec(request.prompt)?.[1] ?? 0);
    const text = kind === "explain" ? REPLY : `[${Array.from({ length: count }, (_, i) => i % 2).join(", ")}]`;
    calls.push({ kind, input: stubTokens(request.prompt), output: stubTokens(text) });
    return { text };
  });
  // asynchronous: the stub answers from this process's event loop
  const child = spawn(
    process.execPath,
    [join(root, "apps", "cli", "bin", "interlace.mjs"), "explain", "--study", "cost", "--top", String(n)],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: "",
        INTERLACE_HOME: home,
        ANTHROPIC_API_KEY: "sk-cost",
        ANTHROPIC_BASE_URL: stub.url,
      },
    },
  );
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.pipe(process.stderr);
  await new Promise((done) => child.on("close", done));
  const explained = { stdout };
  await stub.close();
  console.log(explained.stdout.trim());
  for (const kind of ["explain", "detection", "fuzzing"]) {
    const of = calls.filter((c) => c.kind === kind);
    const mean = (f: (c: (typeof of)[number]) => number) => of.reduce((s, c) => s + f(c), 0) / Math.max(1, of.length);
    console.log(
      `${kind}: ${of.length} calls, mean input ${mean((c) => c.input).toFixed(0)}, mean output ${mean((c) => c.output).toFixed(0)} tokens`,
    );
  }
  const total = calls.reduce((s, c) => s + c.input + c.output, 0);
  console.log(`total ${total} tokens for ${n} features (+ baseline): ${(total / n).toFixed(0)} per feature`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
