import type { SqlOrTransaction } from "../../db/sql.js";
import type { Example, FeatureMaterial } from "../../explain/examples.js";
import type { ScoreResult, ScorerKind } from "../../explain/scoring.js";
import { listExamples, wantedFeatures } from "../feature/feature.repository.js";
import { listLogits, listQuantiles } from "../feature/feature-data.repository.js";

/** Top examples an explainer may see at most (the stored list is cut to this before the split). */
const MAX_TOP_EXAMPLES = 20;

export interface ScoreRow {
  kind: ScorerKind;
  value: number;
  n: number;
  seed: number;
  promptVersion: string;
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
}

export interface ExplanationRow {
  id: string;
  studyId: string;
  featureIndex: number;
  text: string;
  model: string;
  promptVersion: string;
  seed: number;
  inputTokens: number;
  outputTokens: number;
  createdAt: Date;
  scores: ScoreRow[];
}

export interface PairExplanationRow {
  id: string;
  studyId: string;
  a: number;
  b: number;
  text: string;
  model: string;
  promptVersion: string;
  inputTokens: number;
  outputTokens: number;
  createdAt: Date;
}

export interface BaselineRow {
  kind: ScorerKind;
  value: number;
  n: number;
  seed: number;
  featureIndex: number;
  explanationFeatureIndex: number;
  createdAt: Date;
}

export type RunFeatureStatus = "explained" | "failed" | "skipped";

export interface RunFeatureRow {
  featureIndex: number;
  status: RunFeatureStatus;
  error: string | null;
  explanationId: string | null;
  inputTokens: number;
  outputTokens: number;
}

/** The stored top examples, interval groups and top logits of one feature. */
export async function loadMaterial(sql: SqlOrTransaction, studyId: string, index: number): Promise<FeatureMaterial> {
  const key = [{ studyId, index }];
  const [top, quantiles, logits] = await Promise.all([
    listExamples(sql, key, MAX_TOP_EXAMPLES),
    listQuantiles(sql, key),
    listLogits(sql, key, "top"),
  ]);
  const example = (e: { tokens: string[]; values: number[] }): Example => ({ tokens: e.tokens, values: e.values });
  return {
    index,
    top: top.map(example),
    quantiles: quantiles.map((q) => q.examples.map(example)),
    topLogits: logits.map((l) => l.token),
  };
}

/**
 * Windows stored for other features of the study (top and interval examples), a seeded pseudo-random `limit` of
 * them: the pool non-activating examples are drawn from.
 */
export function otherFeaturesExamples(
  sql: SqlOrTransaction,
  studyId: string,
  index: number,
  seed: number,
  limit: number,
): Promise<Example[]> {
  return sql<Example[]>`
    select tokens, "values" from (
      select feature_index, rank, -1 as quantile, tokens, "values" from feature_examples
      where study_id = ${studyId} and feature_index <> ${index}
      union all
      select feature_index, rank, quantile, tokens, "values" from feature_quantile_examples
      where study_id = ${studyId} and feature_index <> ${index}
    ) e
    order by md5(${String(seed)} || ':' || e.feature_index || ':' || e.quantile || ':' || e.rank)
    limit ${limit}`;
}

/** The `n` densest features of a study (ties by index). */
export async function densestFeatures(sql: SqlOrTransaction, studyId: string, n: number): Promise<number[]> {
  const rows = await sql<{ index: number }[]>`
    select index from features where study_id = ${studyId} order by density desc, index asc limit ${n}`;
  return rows.map((row) => row.index);
}

/** Which of `indices` are features of the study. */
export async function existingFeatures(sql: SqlOrTransaction, studyId: string, indices: number[]): Promise<number[]> {
  const rows = await sql<{ index: number }[]>`
    select index from features
    where study_id = ${studyId} and index in (select jsonb_array_elements_text(${JSON.stringify(indices)}::text::jsonb)::int)`;
  return rows.map((row) => row.index);
}

export async function insertExplanation(
  sql: SqlOrTransaction,
  row: Omit<ExplanationRow, "id" | "createdAt" | "scores"> & { runId: string | null },
): Promise<string> {
  const [inserted] = await sql<{ id: string }[]>`
    insert into explanations
      (study_id, feature_index, text, model, prompt_version, seed, run_id, input_tokens, output_tokens)
    values (${row.studyId}, ${row.featureIndex}, ${row.text}, ${row.model}, ${row.promptVersion}, ${row.seed},
      ${row.runId}, ${row.inputTokens}, ${row.outputTokens})
    returning id`;
  if (!inserted) throw new Error("inserting the explanation returned no row");
  return inserted.id;
}

export async function insertScore(sql: SqlOrTransaction, explanationId: string, score: ScoreResult): Promise<void> {
  await sql`
    insert into explanation_scores (explanation_id, kind, value, prompt_version, seed, true_positives,
      false_negatives, true_negatives, false_positives, input_tokens, output_tokens)
    values (${explanationId}, ${score.kind}, ${score.value}, ${score.promptVersion}, ${score.seed},
      ${score.counts.truePositives}, ${score.counts.falseNegatives}, ${score.counts.trueNegatives},
      ${score.counts.falsePositives}, ${score.inputTokens}, ${score.outputTokens})
    on conflict (explanation_id, kind) do nothing`;
}

export async function insertBaseline(
  sql: SqlOrTransaction,
  studyId: string,
  featureIndex: number,
  explanationId: string,
  score: ScoreResult,
): Promise<void> {
  await sql`
    insert into explanation_baselines (study_id, kind, value, n, seed, feature_index, explanation_id)
    values (${studyId}, ${score.kind}, ${score.value}, ${score.n}, ${score.seed}, ${featureIndex}, ${explanationId})`;
}

/** Records (or updates) what happened to one feature of an explain run. */
export async function recordRunFeature(
  sql: SqlOrTransaction,
  runId: string,
  studyId: string,
  row: RunFeatureRow,
): Promise<void> {
  await sql`
    insert into explain_run_features
      (run_id, study_id, feature_index, status, error, explanation_id, input_tokens, output_tokens)
    values (${runId}, ${studyId}, ${row.featureIndex}, ${row.status}, ${row.error}, ${row.explanationId},
      ${row.inputTokens}, ${row.outputTokens})
    on conflict (run_id, feature_index) do update set status = excluded.status, error = excluded.error,
      explanation_id = excluded.explanation_id, input_tokens = excluded.input_tokens,
      output_tokens = excluded.output_tokens, updated_at = now()`;
}

/** The per-feature outcomes of each listed run, by feature index. */
export function listRunFeatures(
  sql: SqlOrTransaction,
  runIds: readonly string[],
): Promise<(RunFeatureRow & { runId: string })[]> {
  if (runIds.length === 0) return Promise.resolve([]);
  return sql<(RunFeatureRow & { runId: string })[]>`
    select run_id as "runId", feature_index as "featureIndex", status, error, explanation_id as "explanationId",
      input_tokens as "inputTokens", output_tokens as "outputTokens"
    from explain_run_features
    where run_id in (select jsonb_array_elements_text(${JSON.stringify(runIds)}::text::jsonb)::uuid)
    order by run_id, feature_index`;
}

const scoreJson = (sql: SqlOrTransaction) => sql`
  json_build_object('kind', s.kind, 'value', s.value, 'n', s.n, 'seed', s.seed, 'promptVersion', s.prompt_version,
    'truePositives', s.true_positives, 'falseNegatives', s.false_negatives, 'trueNegatives', s.true_negatives,
    'falsePositives', s.false_positives)`;

/** Every explanation of each listed feature, newest first, with its scores. */
export function listExplanations(
  sql: SqlOrTransaction,
  features: readonly { studyId: string; index: number }[],
): Promise<ExplanationRow[]> {
  if (features.length === 0) return Promise.resolve([]);
  return sql<ExplanationRow[]>`
    select x.id, x.study_id as "studyId", x.feature_index as "featureIndex", x.text, x.model,
      x.prompt_version as "promptVersion", x.seed, x.input_tokens as "inputTokens",
      x.output_tokens as "outputTokens", x.created_at as "createdAt",
      coalesce((select json_agg(${scoreJson(sql)} order by s.kind) from explanation_scores s
                where s.explanation_id = x.id), '[]'::json) as scores
    from explanations x
    join ${wantedFeatures(sql, features)} on wanted.study_id = x.study_id and wanted.feature_index = x.feature_index
    order by x.study_id, x.feature_index, x.created_at desc, x.id`;
}

/** The newest baseline of each scorer kind for a study. */
export function latestBaselines(sql: SqlOrTransaction, studyId: string): Promise<BaselineRow[]> {
  return sql<BaselineRow[]>`
    select distinct on (b.kind) b.kind, b.value, b.n, b.seed, b.feature_index as "featureIndex",
      x.feature_index as "explanationFeatureIndex", b.created_at as "createdAt"
    from explanation_baselines b join explanations x on x.id = b.explanation_id
    where b.study_id = ${studyId}
    order by b.kind, b.created_at desc`;
}

export async function insertPairExplanation(
  sql: SqlOrTransaction,
  row: Omit<PairExplanationRow, "id" | "createdAt"> & { runId: string | null },
): Promise<string> {
  const [inserted] = await sql<{ id: string }[]>`
    insert into pair_explanations (study_id, a, b, text, model, prompt_version, run_id, input_tokens, output_tokens)
    values (${row.studyId}, ${row.a}, ${row.b}, ${row.text}, ${row.model}, ${row.promptVersion}, ${row.runId},
      ${row.inputTokens}, ${row.outputTokens})
    returning id`;
  if (!inserted) throw new Error("inserting the pair explanation returned no row");
  return inserted.id;
}

/** Explanations of the interaction pair (a, b) of a study, newest first (a and b in either order). */
export function listPairExplanations(
  sql: SqlOrTransaction,
  studyId: string,
  a: number,
  b: number,
): Promise<PairExplanationRow[]> {
  return sql<PairExplanationRow[]>`
    select id, study_id as "studyId", a, b, text, model, prompt_version as "promptVersion",
      input_tokens as "inputTokens", output_tokens as "outputTokens", created_at as "createdAt"
    from pair_explanations
    where study_id = ${studyId} and ((a = ${a} and b = ${b}) or (a = ${b} and b = ${a}))
    order by created_at desc, id`;
}

/** Interaction pairs whose two features are both among `indices`, strongest first, at most `limit`. */
export async function pairsAmong(
  sql: SqlOrTransaction,
  studyId: string,
  indices: readonly number[],
  limit: number,
): Promise<{ a: number; b: number }[]> {
  const wanted = JSON.stringify(indices);
  return sql<{ a: number; b: number }[]>`
    select a, b from interactions
    where study_id = ${studyId}
      and a in (select jsonb_array_elements_text(${wanted}::text::jsonb)::int)
      and b in (select jsonb_array_elements_text(${wanted}::text::jsonb)::int)
    order by strength desc, a, b
    limit ${limit}`;
}
