import { existsSync } from "node:fs";
import { join } from "node:path";
import { presetSettings, STUDY_FILE } from "@interlace/compute/study";
import type { Sql } from "../db/sql.js";
import { saveFeatureData } from "../features/feature/feature-data.repository.js";
import type { RunLimits, StudyRunParams } from "../features/run/run.service.js";
import { type FeatureDataRunParams, RUN_KINDS } from "../features/run/run-kinds.js";
import { insertStudy } from "../features/study/study.repository.js";
import type { ClaimedRun, RunControls, RunExecutor, RunResult } from "../worker/executor.js";
import { runDemoModel } from "./demo.js";
import { computeFeatureDataOf } from "./feature-data.js";
import { computeStudy, type StudyConfig } from "./run-and-store.js";
import { storedStudyDir } from "./study-dir.js";

/** The stage of a study's progress message: its leading words, e.g. "SAE step 120/300" → "SAE step". */
export function stageOf(message: string): string {
  return message.replace(/[\d(:/,.%].*$/, "").trim() || message;
}

/** Reports at most every 500 ms (and always a new stage and the end), never waiting for the database. */
function throttledReporter(controls: RunControls) {
  let last = 0;
  let lastStage: string | undefined;
  return (fraction: number, message: string, stage: string) => {
    const now = Date.now();
    if (now - last < 500 && fraction < 1 && stage === lastStage) return;
    last = now;
    lastStage = stage;
    controls.reportProgress(fraction, message, stage).catch(() => undefined);
  };
}

/** A study run requested over GraphQL: the tiny preset, resized by the request; stored with the run's id. */
async function runStudyRun(config: StudyConfig, run: ClaimedRun, controls: RunControls): Promise<RunResult> {
  const params = run.params as unknown as StudyRunParams;
  const settings = { ...presetSettings("tiny"), tokens: params.tokens, dSae: params.dSae, nfmK: params.nfmK };
  const report = throttledReporter(controls);
  // One folder per run: a run re-queued after its worker died continues where that worker stopped.
  const dir = join(config.home, "studies", `run-${run.id}`);
  const computed = await computeStudy(
    config,
    { name: params.name, model: params.model, layer: params.layer, settings },
    {
      dir,
      resume: existsSync(join(dir, STUDY_FILE)),
      signal: controls.signal,
      onProgress: (p) => report(p.fraction, p.message, stageOf(p.message)),
    },
  );
  return {
    store: (tx) => insertStudy(tx, computed.result, { dir: storedStudyDir(config.home, computed.dir), runId: run.id }),
  };
}

/** Computes the feature data of an existing study; replaces its stored feature data when the run succeeds. */
async function runFeatureData(sql: Sql, config: StudyConfig, run: ClaimedRun, controls: RunControls) {
  const params = run.params as unknown as FeatureDataRunParams;
  const report = throttledReporter(controls);
  const { studyId, data } = await computeFeatureDataOf(sql, config, params.studyId, {
    signal: controls.signal,
    onProgress: (fraction) => report(fraction, `feature data ${Math.round(fraction * 100)}%`, "feature data"),
  });
  return {
    store: async (tx: Parameters<NonNullable<RunResult["store"]>>[0]) => {
      await saveFeatureData(tx, studyId, data);
      return studyId;
    },
  };
}

/** The worker's executor: runs every kind of RUN_KINDS. */
export function studyExecutor(sql: Sql, config: StudyConfig & RunLimits): RunExecutor {
  return async (run, controls) => {
    switch (run.kind) {
      case RUN_KINDS.study:
        return runStudyRun(config, run, controls);
      case RUN_KINDS.featureData:
        return runFeatureData(sql, config, run, controls);
      case RUN_KINDS.demoModel:
        return runDemoModel(config, controls);
      default:
        throw new Error(`this worker does not know runs of kind "${run.kind}" (known: ${Object.values(RUN_KINDS)}).`);
    }
  };
}
