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
  await insertInspection(tx, study.id, result);
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
  const measured = result.inspection !== undefined && result.inspection !== null;
  for (const part of chunks(result.interactions)) {
    const rows = part.map((pair) => ({
      a: pair.a,
      b: pair.b,
      strength: pair.strength,
      co: pair.coActivations,
      lift: pair.lift ?? null,
      contribution: pair.contribution ?? null,
      rows: pair.contributionRows ?? 0,
      share: pair.share ?? null,
      seeds: pair.seedStrengths ?? [],
      replicated: pair.replicatedSeeds ?? null,
    }));
    await tx`
      insert into interactions (study_id, a, b, strength, co_activations, lift, contribution, contribution_rows, share,
        seed_strengths, replicated_seeds, measured)
      select ${studyId}, (r->>'a')::int, (r->>'b')::int, (r->>'strength')::float8, (r->>'co')::int,
        (r->>'lift')::float8, (r->>'contribution')::float8, (r->>'rows')::int, (r->>'share')::float8,
        array(select s::real from jsonb_array_elements_text(r->'seeds') with ordinality as x(s, n) order by n),
        (r->>'replicated')::int, ${measured}
      from jsonb_array_elements(${JSON.stringify(rows)}::text::jsonb) as r`;
  }
  const examples = result.interactions.flatMap((pair) =>
    (pair.examples ?? []).map((example, rank) => ({ a: pair.a, b: pair.b, rank, ...example })),
  );
  for (const part of chunks(examples)) {
    await tx`
      insert into interaction_examples (study_id, a, b, rank, tokens, a_values, b_values, contribution)
      select ${studyId}, (e->>'a')::int, (e->>'b')::int, (e->>'rank')::int,
        array(select t from jsonb_array_elements_text(e->'tokens') with ordinality as x(t, n) order by n),
        array(select v::real from jsonb_array_elements_text(e->'aValues') with ordinality as y(v, n) order by n),
        array(select v::real from jsonb_array_elements_text(e->'bValues') with ordinality as z(v, n) order by n),
        (e->>'contribution')::real
      from jsonb_array_elements(${JSON.stringify(part)}::text::jsonb) as e`;
  }
  await tx`
    update features f set interaction_strength = s.strength
    from (select feature, max(abs(strength)) as strength
          from (select a as feature, strength from interactions where study_id = ${studyId}
                union all select b, strength from interactions where study_id = ${studyId}) ends
          group by feature) s
    where f.study_id = ${studyId} and f.index = s.feature`;
}

/** Rows of V per statement (each carries K values). */
const EMBEDDING_CHUNK = 500;

/** The NFM's embeddings, K dimensions and study-wide checks (nothing for a study stored without them). */
async function insertInspection(tx: SqlOrTransaction, studyId: string, result: StudyResult): Promise<void> {
  const inspection = result.inspection;
  if (!inspection) return;
  for (let start = 0; start < inspection.embeddings.length; start += EMBEDDING_CHUNK) {
    const part = inspection.embeddings.slice(start, start + EMBEDDING_CHUNK);
    await tx`
      insert into feature_embeddings (study_id, feature_index, v, mass)
      select ${studyId}, (e->>'index')::int,
        array(select v::real from jsonb_array_elements_text(e->'values') with ordinality as x(v, n) order by n),
        (e->>'mass')::float8
      from jsonb_array_elements(${JSON.stringify(part)}::text::jsonb) as e`;
  }
  for (const part of chunks(inspection.dimensions)) {
    await tx`
      insert into k_dimensions (study_id, index, l0, l1, l2, max, gini, effective_rank, variance_explained,
        top_features, top_pairs)
      select ${studyId}, (d->>'index')::int, (d->>'l0')::int, (d->>'l1')::float8, (d->>'l2')::float8,
        (d->>'max')::float8, (d->>'gini')::float8, (d->>'effectiveRank')::float8, (d->>'varianceExplained')::float8,
        d->'topFeatures', d->'topPairs'
      from jsonb_array_elements(${JSON.stringify(part)}::text::jsonb) as d`;
  }
  const summary = { cooccurrence: inspection.cooccurrence, replication: inspection.replication };
  await tx`update nfms set inspection = ${JSON.stringify(summary)}::text::jsonb where study_id = ${studyId}`;
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
