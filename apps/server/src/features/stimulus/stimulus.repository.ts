import type { SqlOrTransaction } from "../../db/sql.js";
import type { RunState } from "../run/run.repository.js";

export interface StimulusAnalysisRow {
  id: string;
  studyId: string;
  runId: string | null;
  name: string;
  design: Record<string, unknown>;
  measure: string;
  anovaType: 2 | 3;
  result: Record<string, unknown> | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** The run's state, progress and message (null once the run row is gone). */
  runStatus: RunState | null;
  progress: number | null;
  message: string | null;
  error: string | null;
}

const columns = (sql: SqlOrTransaction) => sql`
  s.id, s.study_id as "studyId", s.run_id as "runId", s.name, s.design, s.measure, s.anova_type as "anovaType",
  s.result, s.created_at as "createdAt", s.finished_at as "finishedAt", r.status as "runStatus", r.progress,
  r.message, r.error`;

export async function insertStimulusAnalysis(
  tx: SqlOrTransaction,
  analysis: {
    id: string;
    studyId: string;
    runId: string;
    name: string;
    design: unknown;
    measure: string;
    anovaType: 2 | 3;
  },
): Promise<void> {
  await tx`
    insert into stimulus_analyses (id, study_id, run_id, name, design, measure, anova_type)
    values (${analysis.id}, ${analysis.studyId}, ${analysis.runId}, ${analysis.name},
            ${JSON.stringify(analysis.design)}::text::jsonb, ${analysis.measure}, ${analysis.anovaType})`;
}

export async function saveStimulusResult(sql: SqlOrTransaction, id: string, result: unknown): Promise<void> {
  const rows = await sql`
    update stimulus_analyses set result = ${JSON.stringify(result)}::text::jsonb, finished_at = now()
    where id = ${id} returning id`;
  if (rows.length === 0) throw new Error(`stimulus analysis ${id} is gone (its study was deleted); nothing stored.`);
}

export async function findStimulusAnalysis(
  sql: SqlOrTransaction,
  id: string,
): Promise<StimulusAnalysisRow | undefined> {
  const [row] = await sql<StimulusAnalysisRow[]>`
    select ${columns(sql)} from stimulus_analyses s left join runs r on r.id = s.run_id where s.id = ${id}`;
  return row;
}

/** A study's analyses, newest first. */
export function listStimulusAnalyses(
  sql: SqlOrTransaction,
  studyId: string,
  limit: number,
): Promise<StimulusAnalysisRow[]> {
  return sql<StimulusAnalysisRow[]>`
    select ${columns(sql)} from stimulus_analyses s left join runs r on r.id = s.run_id
    where s.study_id = ${studyId} order by s.created_at desc, s.id desc limit ${limit}`;
}

/** Stores an analysis run outside the queue (the CLI), with its result, in one statement. */
export async function insertFinishedStimulusAnalysis(
  sql: SqlOrTransaction,
  analysis: { studyId: string; name: string; design: unknown; measure: string; anovaType: 2 | 3; result: unknown },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into stimulus_analyses (study_id, name, design, measure, anova_type, result, finished_at)
    values (${analysis.studyId}, ${analysis.name}, ${JSON.stringify(analysis.design)}::text::jsonb, ${analysis.measure},
            ${analysis.anovaType}, ${JSON.stringify(analysis.result)}::text::jsonb, now())
    returning id`;
  if (!row) throw new Error("inserting the stimulus analysis returned no row");
  return row.id;
}
