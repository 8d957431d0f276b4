import type { SqlOrTransaction } from "../../db/sql.js";
import type { FeatureRow } from "../feature/feature.repository.js";
import { wantedFeatures } from "../feature/feature.repository.js";

export interface EmbeddingRow {
  studyId: string;
  featureIndex: number;
  v: number[];
}

/** The stored rows of V of the listed features, in one statement. */
export async function listEmbeddings(
  sql: SqlOrTransaction,
  features: readonly { studyId: string; index: number }[],
): Promise<EmbeddingRow[]> {
  if (features.length === 0) return [];
  const rows = await sql<EmbeddingRow[]>`
    select e.study_id as "studyId", e.feature_index as "featureIndex", e.v
    from feature_embeddings e
    join ${wantedFeatures(sql, features)} on wanted.study_id = e.study_id and wanted.feature_index = e.feature_index`;
  return rows.map((row) => ({ ...row, v: exactReals(row.v) }));
}

/**
 * A real[] as its exact float32 values: the client parses each real's shortest decimal text to the nearest double,
 * which rounds back to the float32 it came from — so sums over V match the ones computed before storing.
 */
function exactReals(values: number[]): number[] {
  return values.map((x) => Math.fround(x));
}

/** The `limit` features with the largest summed |strength| to the others, with their rows of V, in one statement. */
export async function mapFeatures(
  sql: SqlOrTransaction,
  studyId: string,
  limit: number,
): Promise<(FeatureRow & { v: number[] })[]> {
  const rows = await sql<(FeatureRow & { v: number[] })[]>`
    select f.study_id as "studyId", f.index, f.density, f.max_activation as "maxActivation",
      f.mean_activation as "meanActivation", f.interaction_strength as "interactionStrength", e.v
    from feature_embeddings e
    join features f on f.study_id = e.study_id and f.index = e.feature_index
    where e.study_id = ${studyId}
    order by e.mass desc, e.feature_index
    limit ${limit}`;
  return rows.map((row) => ({ ...row, v: exactReals(row.v) }));
}

export interface KDimensionRow {
  studyId: string;
  index: number;
  l0: number;
  l1: number;
  l2: number;
  max: number;
  gini: number;
  effectiveRank: number;
  varianceExplained: number | null;
  topFeatures: { feature: number; loading: number }[];
  topPairs: { a: number; b: number; load: number }[];
}

export type KDimensionSortColumn = "index" | "variance_explained" | "effective_rank" | "l0";

const dimensionColumns = (sql: SqlOrTransaction) => sql`
  study_id as "studyId", index, l0, l1, l2, max, gini, effective_rank as "effectiveRank",
  variance_explained as "varianceExplained", top_features as "topFeatures", top_pairs as "topPairs"`;

function orderOf(sql: SqlOrTransaction, order: KDimensionSortColumn) {
  if (order === "variance_explained") return sql`variance_explained desc nulls last, index asc`;
  if (order === "effective_rank") return sql`effective_rank desc, index asc`;
  if (order === "l0") return sql`l0 desc, index asc`;
  return sql`index asc`;
}

export function pageKDimensions(
  sql: SqlOrTransaction,
  query: { studyId: string; order: KDimensionSortColumn; offset: number; limit: number },
): Promise<KDimensionRow[]> {
  return sql<KDimensionRow[]>`
    select ${dimensionColumns(sql)} from k_dimensions where study_id = ${query.studyId}
    order by ${orderOf(sql, query.order)} offset ${query.offset} limit ${query.limit}`;
}

export async function countKDimensions(sql: SqlOrTransaction, studyId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from k_dimensions where study_id = ${studyId}`;
  return row?.n ?? 0;
}

export async function findKDimension(
  sql: SqlOrTransaction,
  studyId: string,
  index: number,
): Promise<KDimensionRow | undefined> {
  const [row] = await sql<KDimensionRow[]>`
    select ${dimensionColumns(sql)} from k_dimensions where study_id = ${studyId} and index = ${index}`;
  return row;
}

export interface NfmRow {
  k: number | null;
  inspection: {
    cooccurrence: { spearman: number | null; pairs: number };
    replication: {
      top: number;
      depth: number;
      seeds: { seed: number; spearman: number | null; overlap: number }[];
      supported?: { seed: number; spearman: number | null; overlap: number }[];
    };
  } | null;
}

export async function findNfm(sql: SqlOrTransaction, studyId: string): Promise<NfmRow | undefined> {
  const [row] = await sql<NfmRow[]>`select k, inspection from nfms where study_id = ${studyId}`;
  return row;
}
