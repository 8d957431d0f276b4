import type { SqlOrTransaction } from "../../db/sql.js";

export interface FeatureRow {
  studyId: string;
  index: number;
  density: number;
  maxActivation: number;
  meanActivation: number;
  interactionStrength: number;
}

export interface ExampleRow {
  studyId: string;
  featureIndex: number;
  rank: number;
  tokens: string[];
  values: number[];
  maxValue: number;
  position: number | null;
}

export type FeatureSortColumn = "index" | "density" | "max_activation" | "interaction_strength";

/** Ranges a feature page keeps (bounds inclusive; absent = unbounded). */
export interface FeatureFilterSpec {
  minDensity?: number | undefined;
  maxDensity?: number | undefined;
  minMaxActivation?: number | undefined;
  /** Words an explanation of the feature must match (websearch syntax: quotes, or, -word). */
  search?: string | undefined;
}

export interface FeatureOrderSpec {
  column: FeatureSortColumn;
  direction: "asc" | "desc";
}

export interface FeaturePageQuery {
  studyId: string;
  order: FeatureOrderSpec;
  limit: number;
  filter?: FeatureFilterSpec | undefined;
  /** Sort key of the last row already seen: [value of the order column, index]. */
  after?: [number, number] | undefined;
}

const featureColumns = (sql: SqlOrTransaction) =>
  sql`study_id as "studyId", index, density, max_activation as "maxActivation", mean_activation as "meanActivation",
      interaction_strength as "interactionStrength"`;

/** The `and …` conditions of a filter. */
function filterConditions(sql: SqlOrTransaction, filter: FeatureFilterSpec | undefined) {
  const { minDensity, maxDensity, minMaxActivation, search } = filter ?? {};
  return sql`
    ${minDensity === undefined ? sql`` : sql`and density >= ${minDensity}::float8`}
    ${maxDensity === undefined ? sql`` : sql`and density <= ${maxDensity}::float8`}
    ${minMaxActivation === undefined ? sql`` : sql`and max_activation >= ${minMaxActivation}::float8`}
    ${
      search === undefined
        ? sql``
        : sql`and exists (select 1 from explanations x
                          where x.study_id = features.study_id and x.feature_index = features.index
                            and x.search @@ websearch_to_tsquery('english', ${search}))`
    }`;
}

/** One page of a study's features in `order` (ties broken by index ascending), starting after the given key. */
export function pageFeatures(sql: SqlOrTransaction, query: FeaturePageQuery): Promise<FeatureRow[]> {
  const column = sql(query.order.column);
  const descending = query.order.direction === "desc";
  const [value, index] = query.after ?? [];
  const afterKey =
    value === undefined || index === undefined
      ? sql``
      : descending
        ? sql`and (${column} < ${value}::float8 or (${column} = ${value}::float8 and index > ${index}::int))`
        : sql`and (${column} > ${value}::float8 or (${column} = ${value}::float8 and index > ${index}::int))`;
  return sql<FeatureRow[]>`
    select ${featureColumns(sql)} from features
    where study_id = ${query.studyId} ${filterConditions(sql, query.filter)} ${afterKey}
    order by ${column} ${descending ? sql`desc` : sql`asc`}, index asc
    limit ${query.limit}`;
}

export async function countFeatures(
  sql: SqlOrTransaction,
  studyId: string,
  filter?: FeatureFilterSpec,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from features where study_id = ${studyId} ${filterConditions(sql, filter)}`;
  return row?.n ?? 0;
}

export async function findFeature(
  sql: SqlOrTransaction,
  studyId: string,
  index: number,
): Promise<FeatureRow | undefined> {
  const [row] = await sql<FeatureRow[]>`
    select ${featureColumns(sql)} from features where study_id = ${studyId} and index = ${index}`;
  return row;
}

/** Densities of a study's firing features (density > 0), for histograms. */
export async function listDensities(sql: SqlOrTransaction, studyId: string): Promise<number[]> {
  const rows = await sql<{ density: number }[]>`
    select density from features where study_id = ${studyId} and density > 0`;
  return rows.map((row) => row.density);
}

/** A derived table `wanted (study_id, feature_index)` of the listed features, for one query over a batch. */
export function wantedFeatures(sql: SqlOrTransaction, features: readonly { studyId: string; index: number }[]) {
  const keys = JSON.stringify(features.map((feature) => [feature.studyId, feature.index]));
  return sql`(select (k->>0)::uuid as study_id, (k->>1)::int as feature_index
              from jsonb_array_elements(${keys}::text::jsonb) as k) wanted`;
}

/** The top `perFeature` examples (by rank) of each listed feature, in one query. */
export function listExamples(
  sql: SqlOrTransaction,
  features: readonly { studyId: string; index: number }[],
  perFeature: number,
): Promise<ExampleRow[]> {
  if (features.length === 0 || perFeature <= 0) return Promise.resolve([]);
  return sql<ExampleRow[]>`
    select e.study_id as "studyId", e.feature_index as "featureIndex", e.rank, e.tokens, e."values",
           e.max_value as "maxValue", e.position
    from feature_examples e
    join ${wantedFeatures(sql, features)} on wanted.study_id = e.study_id and wanted.feature_index = e.feature_index
    where e.rank < ${perFeature}
    order by e.study_id, e.feature_index, e.rank`;
}

/** The smallest and largest feature index of a study, or undefined when it has no features (or does not exist). */
export async function featureIndexRange(
  sql: SqlOrTransaction,
  studyId: string,
): Promise<{ min: number; max: number } | undefined> {
  const [row] = await sql<{ min: number | null; max: number | null }[]>`
    select min(index) as min, max(index) as max from features where study_id = ${studyId}`;
  return row && row.min !== null && row.max !== null ? { min: row.min, max: row.max } : undefined;
}

/** The listed features that exist, in one query (any order). */
export function listFeatures(
  sql: SqlOrTransaction,
  features: readonly { studyId: string; index: number }[],
): Promise<FeatureRow[]> {
  if (features.length === 0) return Promise.resolve([]);
  return sql<FeatureRow[]>`
    select f.study_id as "studyId", f.index, f.density, f.max_activation as "maxActivation",
      f.mean_activation as "meanActivation", f.interaction_strength as "interactionStrength"
    from features f
    join ${wantedFeatures(sql, features)} on wanted.study_id = f.study_id and wanted.feature_index = f.index`;
}
