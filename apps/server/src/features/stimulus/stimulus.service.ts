import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { hubCacheDir } from "@interlace/compute/lm";
import {
  CELL_KEYS,
  checkDesignForStudyFolder,
  DesignError,
  MeasureError,
  parseDesign,
  type StimulusResultRecord,
} from "@interlace/compute/stimulus";
import { readStudyIdentity } from "@interlace/compute/study";
import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, isId, notFound } from "../../graphql/errors.js";
import { StudyRefError, studyWithFolder } from "../../studies/feature-data.js";
import { enqueueRun, type RunState } from "../run/run.repository.js";
import { RunStatus } from "../run/run.type.js";
import { RUN_KINDS } from "../run/run-kinds.js";
import type { StartStimulusAnalysisInput } from "./stimulus.args.js";
import {
  findStimulusAnalysis,
  insertStimulusAnalysis,
  listStimulusAnalyses,
  type StimulusAnalysisRow,
} from "./stimulus.repository.js";
import type { StimulusAnalysis } from "./stimulus.type.js";

/** The `kind` of runs that execute a stimulus analysis; params are StimulusRunParams. */
export const STIMULUS_RUN_KIND = RUN_KINDS.stimulus;

export interface StimulusRunParams {
  analysisId: string;
}

/** The largest design (as JSON) a request may carry. */
export const MAX_DESIGN_BYTES = 1_000_000;

const STATUS: Record<RunState, RunStatus> = {
  queued: RunStatus.QUEUED,
  running: RunStatus.RUNNING,
  succeeded: RunStatus.SUCCEEDED,
  failed: RunStatus.FAILED,
  cancelled: RunStatus.CANCELLED,
};

/** The local folder of a study's model, or null when it is a hub id not downloaded here (the worker fetches it). */
function localModelDir(model: string, home: string): string | null {
  if (existsSync(join(model, "config.json"))) return model;
  const cached = hubCacheDir(model, home);
  return existsSync(join(cached, "config.json")) ? cached : null;
}

export function toStimulusAnalysis(row: StimulusAnalysisRow): StimulusAnalysis {
  const result = row.result as StimulusResultRecord | null;
  const { measure: _m, anova_type: _t, values: _v, cells, anova, contrast, discovered, ...chart } = result ?? {};
  const status = row.result ? RunStatus.SUCCEEDED : row.runStatus ? STATUS[row.runStatus] : RunStatus.FAILED;
  return {
    id: row.id,
    studyId: row.studyId,
    name: row.name,
    design: row.design,
    measure: row.measure,
    anovaType: row.anovaType,
    status,
    progress: row.result ? 1 : (row.progress ?? 0),
    message: row.message,
    error: row.error,
    runId: row.runId,
    createdAt: row.createdAt,
    cells: (cells ?? []).map((c) => ({
      a: CELL_KEYS.indexOf(c.cell) >> 1,
      b: CELL_KEYS.indexOf(c.cell) & 1,
      n: c.n,
      mean: c.mean,
      ci95: c.ci95,
    })),
    anova: anova
      ? (["a", "b", "ab"] as const).map((term) => ({
          term,
          F: anova[term].F,
          p: anova[term].p,
          partialEta2: anova[term].partial_eta2,
        }))
      : [],
    contrast: contrast ? { value: contrast.value, ci95: contrast.ci95, pPermutation: contrast.p_permutation } : null,
    discovered: discovered ?? [],
    chart: result ? { values: result.values, ...chart } : null,
  };
}

export class StimulusService {
  constructor(
    private readonly sql: Sql,
    private readonly home: string,
  ) {}

  async find(id: string): Promise<StimulusAnalysis | null> {
    if (!isId(id)) return null;
    const row = await findStimulusAnalysis(this.sql, id);
    return row ? toStimulusAnalysis(row) : null;
  }

  async ofStudy(studyId: string, first: number): Promise<StimulusAnalysis[]> {
    return (await listStimulusAnalyses(this.sql, studyId, checkCount("first", first))).map(toStimulusAnalysis);
  }

  /** Checks the request fully (design, study, prompt lengths, targets, measure), then stores it and queues its run. */
  async start(input: StartStimulusAnalysisInput): Promise<StimulusAnalysis> {
    if (!isId(input.studyId))
      throw badUserInput(`input.studyId "${input.studyId}" is not a study id; list the studies to find it`);
    if (input.anovaType !== 2 && input.anovaType !== 3) {
      throw badUserInput(`input.anovaType must be 2 or 3 (ANOVA type II or III), got ${input.anovaType}`);
    }
    const size = JSON.stringify(input.design ?? null).length;
    if (size > MAX_DESIGN_BYTES) {
      throw badUserInput(`input.design is ${size} bytes of JSON; keep it under ${MAX_DESIGN_BYTES}`);
    }
    let design: ReturnType<typeof parseDesign>;
    try {
      design = parseDesign(input.design);
    } catch (error) {
      if (error instanceof DesignError) throw badUserInput(`input.design.${error.message}`);
      throw error;
    }
    let study: Awaited<ReturnType<typeof studyWithFolder>>;
    try {
      study = await studyWithFolder(this.sql, input.studyId, this.home);
    } catch (error) {
      if (error instanceof StudyRefError) throw notFound(`input.studyId: ${error.message}`);
      throw error;
    }
    const identity = readStudyIdentity(study.dir);
    if (!identity) throw badUserInput(`input.studyId: study "${study.name}" has no folder any more; run it again`);
    const modelDir = localModelDir(identity.modelName, this.home);
    if (modelDir) {
      try {
        checkDesignForStudyFolder(study.dir, modelDir, design, input.measure);
      } catch (error) {
        if (error instanceof DesignError) throw badUserInput(`input.design.${error.message}`);
        if (error instanceof MeasureError) throw badUserInput(`input.measure: ${error.message}`);
        throw badUserInput(`input.studyId: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const id = randomUUID();
    await this.sql.begin(async (tx) => {
      const run = await enqueueRun(tx, { kind: STIMULUS_RUN_KIND, params: { analysisId: id } });
      await insertStimulusAnalysis(tx, {
        id,
        studyId: study.id,
        runId: run.id,
        name: design.name,
        design,
        measure: input.measure,
        anovaType: input.anovaType as 2 | 3,
      });
    });
    const row = await findStimulusAnalysis(this.sql, id);
    if (!row) throw new Error("the stored stimulus analysis could not be read back");
    return toStimulusAnalysis(row);
  }
}
