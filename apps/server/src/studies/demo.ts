import { existsSync } from "node:fs";
import { join } from "node:path";
import { trainDemoModel } from "@interlace/compute/lm-train";
import type { TransactionSql } from "postgres";
import { enqueueRun } from "../features/run/run.repository.js";
import { checkStudyRunInput, type RunLimits } from "../features/run/run.service.js";
import { RUN_KINDS } from "../features/run/run-kinds.js";
import type { RunControls, RunResult } from "../worker/executor.js";
import type { StudyConfig } from "./run-and-store.js";

/** Where the offline demo model lives (built once). */
export function demoModelDir(home: string): string {
  return join(home, "models", "interlace-demo-sotu-gpt2");
}

/** The demo study queued once the demo model exists. */
export function demoStudyInput(home: string) {
  return { name: "demo: sotu GPT-2 layer 2", model: demoModelDir(home), layer: 2, tokens: 20_000, dSae: 256, nfmK: 32 };
}

/** Training steps between the demo model's checkpoints (about 45 s each on two cores with the wasm backend). */
export const DEMO_CHECKPOINT_EVERY = 20;

/**
 * The `demo-model` run: trains the offline demo model once (a small GPT-2 on the built-in State of the Union corpus)
 * and, in the transaction that ends the run, queues the demo study of it. Training checkpoints into the model's
 * folder, so a re-queued run (cancelled, or the product stopped or killed) resumes where it stopped.
 */
export async function runDemoModel(config: StudyConfig & RunLimits, controls: RunControls): Promise<RunResult> {
  const dir = demoModelDir(config.home);
  if (!existsSync(join(dir, "config.json"))) {
    let last = 0;
    let fraction = 0;
    await trainDemoModel({
      corpus: "sotu",
      out: dir,
      signal: controls.signal,
      backend: config.backend,
      checkpointEvery: DEMO_CHECKPOINT_EVERY,
      resume: true,
      onLog: (message) => {
        controls.reportProgress(fraction, message, "train-lm").catch(() => undefined);
      },
      onProgress: (event) => {
        const now = Date.now();
        if (now - last < 500 && !event.finished) return;
        last = now;
        fraction = event.total > 0 ? event.done / event.total : 0;
        const eta = event.etaSeconds === null ? "" : `, about ${Math.ceil(event.etaSeconds / 60)} min left`;
        controls
          .reportProgress(fraction, `training the demo model: ${Math.round(fraction * 100)}%${eta}`, "train-lm")
          .catch(() => undefined);
      },
    });
  }
  const params = await checkStudyRunInput(demoStudyInput(config.home), config);
  return {
    store: async (tx: TransactionSql) => {
      await enqueueRun(tx, { kind: RUN_KINDS.study, params: { ...params } });
      return undefined;
    },
  };
}
