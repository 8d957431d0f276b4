import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, isId, notFound } from "../../graphql/errors.js";
import type { StudyRunInput } from "./run.args.js";
import { enqueueRun, findRun, listRuns, type RunRow, type RunState, requestRunCancel } from "./run.repository.js";
import { type Run, RunStatus } from "./run.type.js";

/** The `kind` of runs that build a study; the worker's executor receives their params as StudyRunParams. */
export const STUDY_RUN_KIND = "study";

export interface StudyRunParams {
  name: string;
  model: string;
  layer: number;
  tokens: number;
  dSae: number;
  nfmK: number;
}

const STATUS: Record<RunState, RunStatus> = {
  queued: RunStatus.QUEUED,
  running: RunStatus.RUNNING,
  succeeded: RunStatus.SUCCEEDED,
  failed: RunStatus.FAILED,
  cancelled: RunStatus.CANCELLED,
};

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    kind: row.kind,
    status: STATUS[row.status],
    progress: row.progress,
    message: row.message,
    error: row.error,
    params: row.params,
    studyId: row.studyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Checks a study request, naming the first bad field. */
export function checkStudyRunInput(input: StudyRunInput): StudyRunParams {
  const params: StudyRunParams = {
    name: input.name.trim(),
    model: input.model.trim(),
    layer: input.layer,
    tokens: input.tokens ?? 20000,
    dSae: input.dSae ?? 256,
    nfmK: input.nfmK ?? 16,
  };
  if (!params.name) throw badUserInput("input.name is empty; give the study a name");
  if (!params.model) throw badUserInput("input.model is empty; give a local model directory or a Hugging Face id");
  if (params.layer < 0) throw badUserInput(`input.layer must be 0 or more (got ${params.layer})`);
  for (const key of ["tokens", "dSae", "nfmK"] as const) {
    if (params[key] < 1) throw badUserInput(`input.${key} must be 1 or more (got ${params[key]})`);
  }
  return params;
}

export class RunService {
  constructor(private readonly sql: Sql) {}

  async list(first: number): Promise<Run[]> {
    return (await listRuns(this.sql, checkCount("first", first, 1000))).map(toRun);
  }

  async find(id: string): Promise<Run | null> {
    if (!isId(id)) return null;
    const row = await findRun(this.sql, id);
    return row ? toRun(row) : null;
  }

  async requestStudyRun(input: StudyRunInput): Promise<Run> {
    const params = checkStudyRunInput(input);
    return toRun(await enqueueRun(this.sql, { kind: STUDY_RUN_KIND, params: { ...params } }));
  }

  async cancel(id: string): Promise<Run> {
    const row = isId(id) ? await requestRunCancel(this.sql, id) : undefined;
    if (!row) throw notFound(`No run has id ${id}; list runs with the runs query`);
    return toRun(row);
  }
}
