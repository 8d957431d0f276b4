import type { StudyMetricsData, StudyResult } from "@interlace/compute/study";
import type { Sql, SqlOrTransaction } from "../../db/sql.js";
import { isId } from "../../graphql/errors.js";
import { saveFeatureData } from "../feature/feature-data.repository.js";
import { validateStudyResult } from "./study-result.validation.js";

export interface StudyRow {
  id: string;
  name: string;
  model: string;
  modelType: string;
  hook: string;
  createdAt: Date;
  metrics: StudyMetricsData;
  report: Record<string, unknown> | null;
}

/** Rows per statement when bulk-inserting features, examples and interactions. */
const CHUNK = 2000;

/** Stores a finished study (model, study, SAE, NFM, features, examples, interactions) in one transaction; returns its id. */
export function saveStudy(sql: Sql, result: StudyResult, options: StudyOrigin = {}): Promise<string> {
  return sql.begin((tx) => insertStudy(tx, result, options));
}

/** Where a stored study came from: its folder, and the run that made it (none for studies made by the CLI). */
export interface StudyOrigin {
  dir?: string;
  runId?: string;
}

/**
 * Inserts a finished study inside the caller's transaction; returns its id. A second study for the same run violates
 * the unique run_id, so a run stores at most one study.
 */
export async function insertStudy(tx: SqlOrTransaction, result: StudyResult, options: StudyOrigin): Promise<string> {
  validateStudyResult(result);
  const [model] = await tx<{ id: string }[]>`
      insert into models (name, model_type) values (${result.model}, ${result.modelType})
      on conflict (name) do update set model_type = excluded.model_type
      returning id`;
  const [study] = await tx<{ id: string }[]>`
      insert into studies (name, model_id, model, hook, metrics, report, dir, run_id)
      values (${result.name}, ${model?.id ?? null}, ${result.model}, ${result.hook},
              ${JSON.stringify(result.metrics)}::text::jsonb, ${JSON.stringify(result.report)}::text::jsonb,
              ${options.dir ?? null}, ${options.runId ?? null})
      returning id`;
  if (!study) throw new Error("inserting the study returned no row");
  const [sae] = await tx<{ id: string }[]>`
      insert into saes (study_id, hook, d_in, d_sae)
      values (${study.id}, ${result.hook}, ${result.metrics.dIn}, ${result.metrics.dSae})
      returning id`;
  await tx`
      insert into nfms (study_id, sae_id, k, error_reduction)
      values (${study.id}, ${sae?.id ?? null}, ${result.metrics.nfmK}, ${result.metrics.nfmErrorReduction})`;
  await insertFeatures(tx, study.id, result);
  await insertExamples(tx, study.id, result);
  await insertInteractions(tx, study.id, result);
  await saveFeatureData(tx, study.id, result.featureData);
  return study.id;
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

async function insertFeatures(tx: SqlOrTransaction, studyId: string, result: StudyResult): Promise<void> {
  for (const part of chunks(result.features)) {
    const rows = part.map((feature) => [feature.index, feature.density, feature.maxActivation]);
    await tx`
      insert into features (study_id, index, density, max_activation)
      select ${studyId}, (r->>0)::int, (r->>1)::float8, (r->>2)::float8
      from jsonb_array_elements(${JSON.stringify(rows)}::text::jsonb) as r`;
  }
}

async function insertExamples(tx: SqlOrTransaction, studyId: string, result: StudyResult): Promise<void> {
  const examples = result.features.flatMap((feature) =>
    feature.examples.map((example, rank) => ({ f: feature.index, rank, ...example })),
  );
  for (const part of chunks(examples)) {
    await tx`
      insert into feature_examples (study_id, feature_index, rank, tokens, "values", max_value)
      select ${studyId}, (e->>'f')::int, (e->>'rank')::int,
        array(select t from jsonb_array_elements_text(e->'tokens') with ordinality as x(t, n) order by n),
        array(select v::real from jsonb_array_elements_text(e->'values') with ordinality as y(v, n) order by n),
        (e->>'maxValue')::real
      from jsonb_array_elements(${JSON.stringify(part)}::text::jsonb) as e`;
  }
}

async function insertInteractions(tx: SqlOrTransaction, studyId: string, result: StudyResult): Promise<void> {
  for (const part of chunks(result.interactions)) {
    const rows = part.map((pair) => [pair.a, pair.b, pair.strength, pair.coActivations]);
    await tx`
      insert into interactions (study_id, a, b, strength, co_activations)
      select ${studyId}, (r->>0)::int, (r->>1)::int, (r->>2)::float8, (r->>3)::int
      from jsonb_array_elements(${JSON.stringify(rows)}::text::jsonb) as r`;
  }
  await tx`
    update features f set interaction_strength = s.strength
    from (select feature, max(strength) as strength
          from (select a as feature, strength from interactions where study_id = ${studyId}
                union all select b, strength from interactions where study_id = ${studyId}) ends
          group by feature) s
    where f.study_id = ${studyId} and f.index = s.feature`;
}

const studyColumns = (sql: SqlOrTransaction) => sql`
  s.id, s.name, s.model, m.model_type as "modelType", s.hook, s.created_at as "createdAt", s.metrics, s.report`;

/** Studies newest first: at most `limit`, those after the study `after` when given (an id that must exist). */
export function listStudies(
  sql: SqlOrTransaction,
  page: { limit: number; after?: string | undefined },
): Promise<StudyRow[]> {
  const after =
    page.after === undefined
      ? sql``
      : sql`where (s.created_at, s.id) < (select created_at, id from studies where id = ${page.after})`;
  return sql<StudyRow[]>`
    select ${studyColumns(sql)} from studies s join models m on m.id = s.model_id ${after}
    order by s.created_at desc, s.id desc limit ${page.limit}`;
}

export async function studyExists(sql: SqlOrTransaction, id: string): Promise<boolean> {
  const rows = await sql`select 1 from studies where id = ${id}`;
  return rows.length > 0;
}

export async function findStudy(sql: SqlOrTransaction, id: string): Promise<StudyRow | undefined> {
  const [row] = await sql<StudyRow[]>`
    select ${studyColumns(sql)} from studies s join models m on m.id = s.model_id where s.id = ${id}`;
  return row;
}

/**
 * Deletes a study and everything of it (features, examples, interactions, SAE, NFM); resolves with its folder (null
 * when it recorded none), or undefined when there was no such study.
 */
export async function deleteStudy(sql: SqlOrTransaction, id: string): Promise<{ dir: string | null } | undefined> {
  const [row] = await sql<{ dir: string | null }[]>`delete from studies where id = ${id} returning dir`;
  return row;
}

/** Studies a user may mean by `ref`: the one with that id, else every study of that name (newest first). */
export function findStudiesByRef(
  sql: SqlOrTransaction,
  ref: string,
): Promise<{ id: string; name: string; dir: string | null }[]> {
  const byId = isId(ref);
  return sql<{ id: string; name: string; dir: string | null }[]>`
    select id, name, dir from studies
    where ${byId ? sql`id = ${ref}::uuid or ` : sql``} name = ${ref}
    order by created_at desc, id desc`;
}
