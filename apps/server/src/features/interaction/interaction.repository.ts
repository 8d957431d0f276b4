import type { SqlOrTransaction } from "../../db/sql.js";
import { type FeatureRow, wantedFeatures } from "../feature/feature.repository.js";

/** A stored pair's held-out evidence (measured: false for pairs stored before it was measured). */
export interface PairEvidence {
  measured: boolean;
  lift: number | null;
  contribution: number | null;
  contributionRows: number;
  share: number | null;
  seedStrengths: number[];
  replicatedSeeds: number | null;
}

export interface InteractionRow extends PairEvidence {
  studyId: string;
  /** Signed ⟨v_a, v_b⟩ (|⟨v_a, v_b⟩| for pairs stored before signs were kept). */
  strength: number;
  coActivations: number;
  a: FeatureRow;
  b: FeatureRow;
}

export interface PartnerRow extends InteractionRow {
  /** The index of the feature at the other end from the one asked about. */
  partnerIndex: number;
}

interface FlatRow extends PairEvidence {
  studyId: string;
  strength: number;
  coActivations: number;
  partnerIndex?: number;
  aIndex: number;
  aDensity: number;
  aMax: number;
  aMean: number;
  aStrength: number;
  bIndex: number;
  bDensity: number;
  bMax: number;
  bMean: number;
  bStrength: number;
}

export function toInteraction(row: FlatRow): InteractionRow {
  return {
    studyId: row.studyId,
    strength: row.strength,
    coActivations: row.coActivations,
    measured: row.measured,
    lift: row.lift,
    contribution: row.contribution,
    contributionRows: row.contributionRows,
    share: row.share,
    seedStrengths: row.seedStrengths,
    replicatedSeeds: row.replicatedSeeds,
    a: {
      studyId: row.studyId,
      index: row.aIndex,
      density: row.aDensity,
      maxActivation: row.aMax,
      meanActivation: row.aMean,
      interactionStrength: row.aStrength,
    },
    b: {
      studyId: row.studyId,
      index: row.bIndex,
      density: row.bDensity,
      maxActivation: row.bMax,
      meanActivation: row.bMean,
      interactionStrength: row.bStrength,
    },
  };
}

export const withFeatures = (sql: SqlOrTransaction) => sql`
  p.study_id as "studyId", p.strength, p.co_activations as "coActivations", p.measured, p.lift, p.contribution,
  p.contribution_rows as "contributionRows", p.share, p.seed_strengths as "seedStrengths",
  p.replicated_seeds as "replicatedSeeds",
  fa.index as "aIndex", fa.density as "aDensity", fa.max_activation as "aMax", fa.mean_activation as "aMean",
  fa.interaction_strength as "aStrength",
  fb.index as "bIndex", fb.density as "bDensity", fb.max_activation as "bMax", fb.mean_activation as "bMean",
  fb.interaction_strength as "bStrength"`;

export const joinFeatures = (sql: SqlOrTransaction) => sql`
  join features fa on fa.study_id = p.study_id and fa.index = p.a
  join features fb on fb.study_id = p.study_id and fb.index = p.b`;

/** The study's strongest interaction pairs (by |strength|) with both features, strongest first. */
export async function topInteractions(
  sql: SqlOrTransaction,
  studyId: string,
  limit: number,
): Promise<InteractionRow[]> {
  const rows = await sql<FlatRow[]>`
    select ${withFeatures(sql)} from interactions p ${joinFeatures(sql)}
    where p.study_id = ${studyId}
    order by abs(p.strength) desc, p.a, p.b
    limit ${limit}`;
  return rows.map(toInteraction);
}

export interface PartnerPageQuery {
  studyId: string;
  featureIndex: number;
  limit: number;
  /** Sort key of the last partner already seen: [|strength|, partner index]. */
  after?: [number, number] | undefined;
}

export interface PartnerPagesQuery {
  features: readonly { studyId: string; index: number }[];
  limit: number;
  /** Sort key of the last partner already seen, the same for every listed feature: [|strength|, partner index]. */
  after?: [number, number] | undefined;
}

/** One page of the pairs a feature takes part in, largest |strength| first (ties by partner index). */
export async function pagePartners(sql: SqlOrTransaction, query: PartnerPageQuery): Promise<PartnerRow[]> {
  const { studyId, featureIndex, limit, after } = query;
  return pagePartnersOfMany(sql, { features: [{ studyId, index: featureIndex }], limit, after });
}

/** The same page of partners for each listed feature, in one query (rows grouped by feature, each page in order). */
export async function pagePartnersOfMany(
  sql: SqlOrTransaction,
  query: PartnerPagesQuery,
): Promise<(PartnerRow & { featureIndex: number })[]> {
  if (query.features.length === 0) return [];
  const [strength, partner] = query.after ?? [];
  const afterKey =
    strength === undefined || partner === undefined
      ? sql``
      : sql`and (abs(u.strength) < ${strength}::float8
               or (abs(u.strength) = ${strength}::float8 and u.partner > ${partner}::int))`;
  const rows = await sql<(FlatRow & { featureIndex: number })[]>`
    select ${withFeatures(sql)}, p.partner as "partnerIndex", wanted.feature_index as "featureIndex"
    from ${wantedFeatures(sql, query.features)}
    cross join lateral (
      select u.* from (
        select i.*, i.b as partner from interactions i where i.study_id = wanted.study_id and i.a = wanted.feature_index
        union all
        select i.*, i.a as partner from interactions i where i.study_id = wanted.study_id and i.b = wanted.feature_index
      ) u
      where true ${afterKey}
      order by abs(u.strength) desc, u.partner asc
      limit ${query.limit}
    ) p ${joinFeatures(sql)}
    order by wanted.study_id, wanted.feature_index, abs(p.strength) desc, p.partner asc`;
  return rows.map((row) => ({
    ...toInteraction(row),
    partnerIndex: row.partnerIndex ?? row.bIndex,
    featureIndex: row.featureIndex,
  }));
}

export async function countPartners(sql: SqlOrTransaction, studyId: string, featureIndex: number): Promise<number> {
  const [count] = await countPartnersOfMany(sql, [{ studyId, index: featureIndex }]);
  return count ?? 0;
}

/** How many pairs each listed feature takes part in, in the order listed, in one query. */
export async function countPartnersOfMany(
  sql: SqlOrTransaction,
  features: readonly { studyId: string; index: number }[],
): Promise<number[]> {
  if (features.length === 0) return [];
  const rows = await sql<{ studyId: string; featureIndex: number; n: number }[]>`
    select wanted.study_id as "studyId", wanted.feature_index as "featureIndex",
      (select count(*)::int from interactions i
       where i.study_id = wanted.study_id and (i.a = wanted.feature_index or i.b = wanted.feature_index)) as n
    from ${wantedFeatures(sql, features)}`;
  const counts = new Map(rows.map((row) => [`${row.studyId}:${row.featureIndex}`, row.n]));
  return features.map((feature) => counts.get(`${feature.studyId}:${feature.index}`) ?? 0);
}
