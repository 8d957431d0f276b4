import type { SqlOrTransaction } from "../../db/sql.js";
import type { FeatureRow } from "../feature/feature.repository.js";

export interface InteractionRow {
  studyId: string;
  strength: number;
  coActivations: number;
  a: FeatureRow;
  b: FeatureRow;
}

export interface PartnerRow extends InteractionRow {
  /** The index of the feature at the other end from the one asked about. */
  partnerIndex: number;
}

interface FlatRow {
  studyId: string;
  strength: number;
  coActivations: number;
  partnerIndex?: number;
  aIndex: number;
  aDensity: number;
  aMax: number;
  bIndex: number;
  bDensity: number;
  bMax: number;
}

function toInteraction(row: FlatRow): InteractionRow {
  return {
    studyId: row.studyId,
    strength: row.strength,
    coActivations: row.coActivations,
    a: { studyId: row.studyId, index: row.aIndex, density: row.aDensity, maxActivation: row.aMax },
    b: { studyId: row.studyId, index: row.bIndex, density: row.bDensity, maxActivation: row.bMax },
  };
}

const withFeatures = (sql: SqlOrTransaction) => sql`
  p.study_id as "studyId", p.strength, p.co_activations as "coActivations",
  fa.index as "aIndex", fa.density as "aDensity", fa.max_activation as "aMax",
  fb.index as "bIndex", fb.density as "bDensity", fb.max_activation as "bMax"`;

const joinFeatures = (sql: SqlOrTransaction) => sql`
  join features fa on fa.study_id = p.study_id and fa.index = p.a
  join features fb on fb.study_id = p.study_id and fb.index = p.b`;

/** The study's strongest interaction pairs with both features, strongest first. */
export async function topInteractions(
  sql: SqlOrTransaction,
  studyId: string,
  limit: number,
): Promise<InteractionRow[]> {
  const rows = await sql<FlatRow[]>`
    select ${withFeatures(sql)} from interactions p ${joinFeatures(sql)}
    where p.study_id = ${studyId}
    order by p.strength desc, p.a, p.b
    limit ${limit}`;
  return rows.map(toInteraction);
}

export interface PartnerPageQuery {
  studyId: string;
  featureIndex: number;
  limit: number;
  /** Sort key of the last partner already seen: [strength, partner index]. */
  after?: [number, number] | undefined;
}

/** One page of the pairs a feature takes part in, strongest first (ties by partner index). */
export async function pagePartners(sql: SqlOrTransaction, query: PartnerPageQuery): Promise<PartnerRow[]> {
  const [strength, partner] = query.after ?? [];
  const afterKey =
    strength === undefined || partner === undefined
      ? sql``
      : sql`and (p.strength < ${strength}::float8 or (p.strength = ${strength}::float8 and p.partner > ${partner}::int))`;
  const rows = await sql<FlatRow[]>`
    select ${withFeatures(sql)}, p.partner as "partnerIndex"
    from (
      select i.*, i.b as partner from interactions i where i.study_id = ${query.studyId} and i.a = ${query.featureIndex}
      union all
      select i.*, i.a as partner from interactions i where i.study_id = ${query.studyId} and i.b = ${query.featureIndex}
    ) p ${joinFeatures(sql)}
    where true ${afterKey}
    order by p.strength desc, p.partner asc
    limit ${query.limit}`;
  return rows.map((row) => ({ ...toInteraction(row), partnerIndex: row.partnerIndex ?? row.bIndex }));
}

export async function countPartners(sql: SqlOrTransaction, studyId: string, featureIndex: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from interactions
    where study_id = ${studyId} and (a = ${featureIndex} or b = ${featureIndex})`;
  return row?.n ?? 0;
}
