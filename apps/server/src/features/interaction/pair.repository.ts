import type { SqlOrTransaction } from "../../db/sql.js";
import { type InteractionRow, joinFeatures, toInteraction, withFeatures } from "./interaction.repository.js";

export type PairSortColumn = "strength" | "contribution" | "lift";

export interface PairPageQuery {
  studyId: string;
  order: PairSortColumn;
  supportedOnly: boolean;
  offset: number;
  limit: number;
}

export interface PairKey {
  studyId: string;
  a: number;
  b: number;
}

/** Pairs measured on held-out data and never co-active there; ranked below the others. */
const unsupported = (sql: SqlOrTransaction) => sql`(p.measured and p.co_activations = 0)`;

function orderOf(sql: SqlOrTransaction, order: PairSortColumn) {
  const value =
    order === "contribution"
      ? sql`p.contribution desc nulls last,`
      : order === "lift"
        ? sql`p.lift desc nulls last,`
        : sql``;
  return sql`${unsupported(sql)} asc, ${value} abs(p.strength) desc, p.a, p.b`;
}

/** A page of a study's stored pairs: supported before unsupported, then by the order asked (ties by |strength|). */
export async function pagePairs(sql: SqlOrTransaction, query: PairPageQuery): Promise<InteractionRow[]> {
  const rows = await sql<Parameters<typeof toInteraction>[0][]>`
    select ${withFeatures(sql)} from interactions p ${joinFeatures(sql)}
    where p.study_id = ${query.studyId} ${query.supportedOnly ? sql`and not ${unsupported(sql)}` : sql``}
    order by ${orderOf(sql, query.order)}
    offset ${query.offset} limit ${query.limit}`;
  return rows.map(toInteraction);
}

export async function countPairs(sql: SqlOrTransaction, studyId: string, supportedOnly: boolean): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from interactions p
    where p.study_id = ${studyId} ${supportedOnly ? sql`and not ${unsupported(sql)}` : sql``}`;
  return row?.n ?? 0;
}

const keysJson = (keys: readonly PairKey[]) =>
  JSON.stringify(keys.map((k) => [k.studyId, Math.min(k.a, k.b), Math.max(k.a, k.b)]));

/** The stored pairs among the keys (either order of a and b), in one statement. */
export async function findPairs(sql: SqlOrTransaction, keys: readonly PairKey[]): Promise<InteractionRow[]> {
  if (keys.length === 0) return [];
  const rows = await sql<Parameters<typeof toInteraction>[0][]>`
    select ${withFeatures(sql)} from interactions p ${joinFeatures(sql)}
    join (select (k->>0)::uuid as study_id, (k->>1)::int as a, (k->>2)::int as b
          from jsonb_array_elements(${keysJson(keys)}::text::jsonb) as k) wanted
      on wanted.study_id = p.study_id
     and ((p.a = wanted.a and p.b = wanted.b) or (p.a = wanted.b and p.b = wanted.a))`;
  return rows.map(toInteraction);
}

export interface PairExampleRow {
  studyId: string;
  a: number;
  b: number;
  rank: number;
  tokens: string[];
  aValues: number[];
  bValues: number[];
  contribution: number;
}

/** The first `perPair` examples of each stored pair among the keys, in one statement. */
export function listPairExamples(
  sql: SqlOrTransaction,
  keys: readonly PairKey[],
  perPair: number,
): Promise<PairExampleRow[]> {
  if (keys.length === 0 || perPair <= 0) return Promise.resolve([]);
  return sql<PairExampleRow[]>`
    select e.study_id as "studyId", e.a, e.b, e.rank, e.tokens, e.a_values as "aValues", e.b_values as "bValues",
      e.contribution
    from interaction_examples e
    join (select (k->>0)::uuid as study_id, (k->>1)::int as a, (k->>2)::int as b
          from jsonb_array_elements(${keysJson(keys)}::text::jsonb) as k) wanted
      on wanted.study_id = e.study_id and wanted.a = e.a and wanted.b = e.b
    where e.rank < ${perPair}
    order by e.study_id, e.a, e.b, e.rank`;
}
