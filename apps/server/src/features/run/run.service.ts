import type { Config } from "../../config.js";
import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, checkName, checkRange, isId, notFound } from "../../graphql/errors.js";
import { findStudy } from "../study/study.repository.js";
import { checkRequestedModel } from "./requested-model.js";
import type { StudyRunInput } from "./run.args.js";
import {
  enqueueRun,
  findRun,
  listRuns,
  type RunRow,
  type RunState,
  requestRunCancel,
  retryRun,
} from "./run.repository.js";
import { type Run, RunStatus } from "./run.type.js";
import { RUN_KINDS } from "./run-kinds.js";
import { watchRun, watchRuns } from "./run-watch.js";

/** The `kind` of runs that build a study; the worker's executor receives their params as StudyRunParams. */
export const STUDY_RUN_KIND = RUN_KINDS.study;

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
    stage: row.stage,
    log: row.log,
    attempts: row.attempts,
    error: row.error,
    params: row.params,
    studyId: row.studyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** How often a runProgress or runsChanged subscription reads the runs table. */
export const WATCH_INTERVAL_MS = 500;

/** What bounds a run requested over the API: where its model may live and how many tokens it may read. */
export type RunLimits = Pick<Config, "modelRoots" | "maxRunTokens">;

/** Bounds of a requested run's sizes (the token bound is configured: RunLimits.maxRunTokens). */
export const RUN_BOUNDS = { maxLayer: 1023, maxDSae: 65_536, maxNfmK: 4096 } as const;

/** Checks a study request, naming the first bad field; the model is resolved without network I/O. */
export async function checkStudyRunInput(input: StudyRunInput, limits: RunLimits): Promise<StudyRunParams> {
  const name = checkName("input.name", input.name);
  if (!input.model.trim()) throw badUserInput("input.model is empty; give a Hugging Face id or a model folder name");
  const layer = checkRange("input.layer", input.layer, 0, RUN_BOUNDS.maxLayer);
  const tokens = checkRange("input.tokens", input.tokens ?? 20000, 1, limits.maxRunTokens);
  const dSae = checkRange("input.dSae", input.dSae ?? 256, 1, RUN_BOUNDS.maxDSae);
  const nfmK = checkRange("input.nfmK", input.nfmK ?? 16, 1, RUN_BOUNDS.maxNfmK);
  const model = await checkRequestedModel(input.model.trim(), limits.modelRoots);
  if (model.kind === "local" && model.layers !== undefined && layer >= model.layers) {
    throw badUserInput(`input.layer must be between 0 and ${model.layers - 1} for this model (got ${layer})`);
  }
  return { name, model: model.kind === "local" ? model.dir : model.id, layer, tokens, dSae, nfmK };
}

/** `source` with `map` applied to each value; returning early returns the source (which stops its polling). */
function mapped<A, B>(source: AsyncIterableIterator<A>, map: (value: A) => B): AsyncIterableIterator<B> {
  const iterator: AsyncIterableIterator<B> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      const next = await source.next();
      return next.done ? next : { done: false, value: map(next.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  return iterator;
}

export class RunService {
  constructor(
    private readonly sql: Sql,
    private readonly limits: RunLimits,
  ) {}

  async list(first: number): Promise<Run[]> {
    return (await listRuns(this.sql, checkCount("first", first))).map(toRun);
  }

  async find(id: string): Promise<Run | null> {
    if (!isId(id)) return null;
    const row = await findRun(this.sql, id);
    return row ? toRun(row) : null;
  }

  async requestStudyRun(input: StudyRunInput): Promise<Run> {
    const params = await checkStudyRunInput(input, this.limits);
    return toRun(await enqueueRun(this.sql, { kind: STUDY_RUN_KIND, params: { ...params } }));
  }

  /** Queues the training of the offline demo model (followed by its demo study). */
  async requestDemoModelRun(): Promise<Run> {
    return toRun(await enqueueRun(this.sql, { kind: RUN_KINDS.demoModel, params: {} }));
  }

  async requestFeatureDataRun(studyId: string): Promise<Run> {
    if (!(isId(studyId) && (await findStudy(this.sql, studyId)))) {
      throw notFound(`No study has id ${studyId.slice(0, 80)}; list studies with the studies query`);
    }
    return toRun(await enqueueRun(this.sql, { kind: RUN_KINDS.featureData, params: { studyId } }));
  }

  async retry(id: string): Promise<Run> {
    const row = isId(id) ? await retryRun(this.sql, id) : undefined;
    if (row) return toRun(row);
    const existing = isId(id) ? await findRun(this.sql, id) : undefined;
    if (!existing) throw notFound(`No run has id ${id.slice(0, 80)}; list runs with the runs query`);
    throw badUserInput(`run ${id} is ${existing.status}; only failed or cancelled runs can be retried`);
  }

  /** The run now and after each change until it finishes (see watchRun); a clear error when there is no such run. */
  async watch(id: string): Promise<AsyncIterable<Run>> {
    if (!(isId(id) && (await findRun(this.sql, id)))) {
      throw notFound(`No run has id ${id.slice(0, 80)}; list runs with the runs query`);
    }
    return mapped(watchRun(this.sql, id, { intervalMs: WATCH_INTERVAL_MS }), toRun);
  }

  /** The newest `first` runs now and after each change among them or a new run (see watchRuns). */
  watchList(first: number): AsyncIterable<Run[]> {
    const rows = watchRuns(this.sql, checkCount("first", first), { intervalMs: WATCH_INTERVAL_MS });
    return mapped(rows, (list) => list.map(toRun));
  }

  async cancel(id: string): Promise<Run> {
    const row = isId(id) ? await requestRunCancel(this.sql, id) : undefined;
    if (!row) throw notFound(`No run has id ${id}; list runs with the runs query`);
    return toRun(row);
  }
}
