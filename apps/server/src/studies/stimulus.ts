import { resolveModel } from "@interlace/compute/lm";
import {
  runStimulusAnalysis,
  type StimulusDesign,
  type StimulusOptions,
  type StimulusResult,
  stimulusResultRecord,
} from "@interlace/compute/stimulus";
import { openStudyArtifacts, readStudyIdentity, STUDY_FILE } from "@interlace/compute/study";
import type { Sql } from "../db/sql.js";
import {
  findStimulusAnalysis,
  insertFinishedStimulusAnalysis,
  saveStimulusResult,
} from "../features/stimulus/stimulus.repository.js";
import { STIMULUS_RUN_KIND, type StimulusRunParams } from "../features/stimulus/stimulus.service.js";
import type { RunExecutor } from "../worker/executor.js";
import { StudyRefError, studyWithFolder } from "./feature-data.js";
import type { StudyConfig } from "./run-and-store.js";

/**
 * Runs a stimulus design on a stored study (by id or name): loads its model, SAE and NFM from its folder, runs the
 * analysis and frees the models. Nothing is stored here.
 */
export async function runStimulusOnStudy(
  sql: Sql,
  config: StudyConfig,
  ref: string,
  design: StimulusDesign,
  options: StimulusOptions = {},
): Promise<{ study: { id: string; name: string }; result: StimulusResult }> {
  const study = await studyWithFolder(sql, ref, config.home);
  const identity = readStudyIdentity(study.dir);
  if (!identity) {
    throw new StudyRefError(`study "${study.name}": its folder ${study.dir} holds no ${STUDY_FILE} any more.`);
  }
  const modelDir = await resolveModel(identity.modelName, config.home, config.hub);
  const artifacts = await openStudyArtifacts({ workDir: study.dir, modelDir, backend: config.backend });
  try {
    const { model, hook, sae, nfm } = artifacts;
    if (!nfm) {
      throw new StudyRefError(`study "${study.name}" kept no full NFM in its folder; run it again to analyse stimuli.`);
    }
    const result = await runStimulusAnalysis({ model, hook, sae, nfm }, design, options);
    return { study: { id: study.id, name: study.name }, result };
  } finally {
    artifacts.dispose();
  }
}

/** The worker's executor for stimulus runs: runs the stored analysis's design and stores its result. */
export function stimulusExecutor(sql: Sql, config: StudyConfig): RunExecutor {
  return async (run, controls) => {
    if (run.kind !== STIMULUS_RUN_KIND) throw new Error(`not a stimulus run: "${run.kind}".`);
    const { analysisId } = run.params as unknown as StimulusRunParams;
    const analysis = await findStimulusAnalysis(sql, analysisId);
    if (!analysis) throw new Error(`stimulus analysis ${analysisId} is gone (its study was deleted).`);
    let lastReport = 0;
    const { study, result } = await runStimulusOnStudy(
      sql,
      config,
      analysis.studyId,
      analysis.design as unknown as StimulusDesign,
      {
        measure: analysis.measure,
        anovaType: analysis.anovaType,
        signal: controls.signal,
        onProgress: (fraction, message) => {
          const now = Date.now();
          if (now - lastReport < 300 && fraction < 1) return;
          lastReport = now;
          controls.reportProgress(fraction, message, "stimulus").catch(() => undefined);
        },
      },
    );
    const record = stimulusResultRecord(result);
    return {
      store: async (tx) => {
        await saveStimulusResult(tx, analysisId, record);
        return study.id;
      },
    };
  };
}

/** Runs a design on a study in this process and stores the finished analysis (the CLI's path); returns its id. */
export async function runAndStoreStimulus(
  sql: Sql,
  config: StudyConfig,
  ref: string,
  design: StimulusDesign,
  options: StimulusOptions = {},
): Promise<{ id: string; study: { id: string; name: string }; result: StimulusResult }> {
  const { study, result } = await runStimulusOnStudy(sql, config, ref, design, options);
  const id = await insertFinishedStimulusAnalysis(sql, {
    studyId: study.id,
    name: design.name,
    design,
    measure: result.main.measure,
    anovaType: result.main.anovaType,
    result: stimulusResultRecord(result),
  });
  return { id, study, result };
}
