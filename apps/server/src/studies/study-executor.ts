import { existsSync } from "node:fs";
import { join } from "node:path";
import { presetSettings, STUDY_FILE } from "@interlace/compute/study";
import type { Sql } from "../db/sql.js";
import { STUDY_RUN_KIND, type StudyRunParams } from "../features/run/run.service.js";
import type { RunExecutor } from "../worker/executor.js";
import { runAndStoreStudy, type StudyConfig } from "./run-and-store.js";

/** The worker's executor for study runs requested over GraphQL: the tiny preset, resized by the request. */
export function studyExecutor(sql: Sql, config: StudyConfig): RunExecutor {
  return async (run, controls) => {
    if (run.kind !== STUDY_RUN_KIND)
      throw new Error(`this worker runs only "${STUDY_RUN_KIND}" runs, not "${run.kind}".`);
    const params = run.params as unknown as StudyRunParams;
    const settings = { ...presetSettings("tiny"), tokens: params.tokens, dSae: params.dSae, nfmK: params.nfmK };
    const abort = new AbortController();
    let lastReport = 0;
    // One folder per run: a run re-queued after its worker died continues where that worker stopped.
    const dir = join(config.home, "studies", `run-${run.id}`);
    const stored = await runAndStoreStudy(
      sql,
      config,
      { name: params.name, model: params.model, layer: params.layer, settings },
      {
        dir,
        resume: existsSync(join(dir, STUDY_FILE)),
        signal: abort.signal,
        onProgress: (p) => {
          if (controls.isCancelled()) abort.abort(new Error("cancelled"));
          const now = Date.now();
          if (now - lastReport < 500 && p.fraction < 1) return;
          lastReport = now;
          controls.reportProgress(p.fraction, p.message).catch(() => undefined);
        },
      },
    );
    return { studyId: stored.studyId };
  };
}
