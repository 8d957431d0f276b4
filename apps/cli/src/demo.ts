import { existsSync } from "node:fs";
import { join } from "node:path";
import { trainDemoModel } from "@interlace/compute/lm-train";
import { cliProgress } from "@interlace/compute/progress";
import { type Config, RunService, type Sql } from "@interlace/server";

/** Where the offline demo model lives (built once). */
export function demoModelDir(home: string): string {
  return join(home, "models", "interlace-demo-sotu-gpt2");
}

/**
 * Builds the offline demo model once (a small GPT-2 trained on the built-in corpus, about eight minutes on two cores)
 * and queues a tiny study of it, so a fresh install shows a real study without any download.
 */
export async function buildDemo(
  sql: Sql,
  config: Pick<Config, "home" | "backend" | "modelRoots" | "maxRunTokens">,
  signal: AbortSignal,
): Promise<void> {
  const dir = demoModelDir(config.home);
  if (!existsSync(join(dir, "config.json"))) {
    console.error(
      "No model yet: training the offline demo model once (a small GPT-2 on the State of the Union corpus)…",
    );
    const result = await trainDemoModel({
      corpus: "sotu",
      out: dir,
      onProgress: cliProgress(),
      signal,
      backend: config.backend,
    });
    console.error(`demo model saved to ${dir} (held-out loss ${result.valLoss.toFixed(3)})`);
  }
  await new RunService(sql, config).requestStudyRun({
    name: "demo: sotu GPT-2 layer 2",
    model: dir,
    layer: 2,
    tokens: 20_000,
    dSae: 256,
    nfmK: 32,
  });
  console.error("queued the demo study; the dashboard shows its progress under Runs.");
}
