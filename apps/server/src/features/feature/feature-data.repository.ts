import type { FeatureData } from "@interlace/compute/study";
import type { SqlOrTransaction } from "../../db/sql.js";
import { type FeatureRow, wantedFeatures } from "./feature.repository.js";
import { validateFeatureData } from "./feature-data.validation.js";

/** Rows per insert statement. */
const CHUNK = 2000;

export type HistogramKind = "activation" | "logit";
export type LogitSide = "top" | "bottom";

interface Keyed {
  studyId: string;
  featureIndex: number;
}

export interface BinRow extends Keyed {
  lo: number;
  hi: number;
  count: number;
}

export interface ExampleJson {
  tokens: string[];
  values: number[];
  maxValue: number;
  position: number;
}

export interface QuantileRow extends BinRow {
  examples: ExampleJson[];
}

export interface LogitRow extends Keyed {
  token: string;
  value: number;
}

export interface NeighbourRow extends Keyed {
  cosine: number;
  feature: FeatureRow;
}

export interface CoActivationRow extends Keyed {
  count: number;
  lift: number;
  feature: FeatureRow;
}

type Features = readonly { studyId: string; index: number }[];

async function insertChunks<T>(items: T[], insert: (json: string) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK) {
    await insert(JSON.stringify(items.slice(start, start + CHUNK)));
  }
}

/**
 * Stores feature data for a study whose features are stored (replacing any earlier feature data): the features'
 * density, max and mean, their top examples, histograms, interval groups, logit effects, neighbours and
 * co-activating features. Run it inside the caller's transaction.
 */
export async function saveFeatureData(tx: SqlOrTransaction, studyId: string, data: FeatureData[]): Promise<void> {
  validateFeatureData(data);
  for (const table of [
    "feature_histogram_bins",
    "feature_quantiles",
    "feature_logits",
    "feature_neighbours",
    "feature_co_activations",
    "feature_examples",
  ]) {
    await tx`delete from ${tx(table)} where study_id = ${studyId}`;
  }
  await insertChunks(
    data.map((f) => [f.index, f.density, f.maxActivation, f.meanActivation]),
    (json) => tx`
      update features f set density = (r->>1)::float8, max_activation = (r->>2)::float8,
        mean_activation = (r->>3)::float8
      from jsonb_array_elements(${json}::text::jsonb) as r
      where f.study_id = ${studyId} and f.index = (r->>0)::int`,
  );
  await insertChunks(
    data.flatMap((f) => f.examples.map((e, rank) => ({ f: f.index, rank, ...e }))),
    (json) => tx`
      insert into feature_examples (study_id, feature_index, rank, tokens, "values", max_value, position)
      select ${studyId}, (e->>'f')::int, (e->>'rank')::int,
        array(select t from jsonb_array_elements_text(e->'tokens') with ordinality as x(t, n) order by n),
        array(select v::real from jsonb_array_elements_text(e->'values') with ordinality as y(v, n) order by n),
        (e->>'maxValue')::real, (e->>'position')::int
      from jsonb_array_elements(${json}::text::jsonb) as e`,
  );
  const bins = data.flatMap((f) => [
    ...f.histogram.map((b, bin) => [f.index, "activation", bin, b.lo, b.hi, b.count]),
    ...f.logitHistogram.map((b, bin) => [f.index, "logit", bin, b.lo, b.hi, b.count]),
  ]);
  await insertChunks(
    bins,
    (json) => tx`
      insert into feature_histogram_bins (study_id, feature_index, kind, bin, lo, hi, count)
      select ${studyId}, (r->>0)::int, r->>1, (r->>2)::int, (r->>3)::float8, (r->>4)::float8, (r->>5)::int
      from jsonb_array_elements(${json}::text::jsonb) as r`,
  );
  await insertChunks(
    data.flatMap((f) => f.quantiles.map((q, quantile) => [f.index, quantile, q.lo, q.hi, q.count])),
    (json) => tx`
      insert into feature_quantiles (study_id, feature_index, quantile, lo, hi, count)
      select ${studyId}, (r->>0)::int, (r->>1)::int, (r->>2)::float8, (r->>3)::float8, (r->>4)::int
      from jsonb_array_elements(${json}::text::jsonb) as r`,
  );
  await insertChunks(
    data.flatMap((f) =>
      f.quantiles.flatMap((q, quantile) => q.examples.map((e, rank) => ({ f: f.index, quantile, rank, ...e }))),
    ),
    (json) => tx`
      insert into feature_quantile_examples
        (study_id, feature_index, quantile, rank, tokens, "values", max_value, position)
      select ${studyId}, (e->>'f')::int, (e->>'quantile')::int, (e->>'rank')::int,
        array(select t from jsonb_array_elements_text(e->'tokens') with ordinality as x(t, n) order by n),
        array(select v::real from jsonb_array_elements_text(e->'values') with ordinality as y(v, n) order by n),
        (e->>'maxValue')::real, (e->>'position')::int
      from jsonb_array_elements(${json}::text::jsonb) as e`,
  );
  await insertChunks(
    data.flatMap((f) => [
      ...f.topLogits.map((l, rank) => [f.index, "top", rank, l.token, l.value]),
      ...f.bottomLogits.map((l, rank) => [f.index, "bottom", rank, l.token, l.value]),
    ]),
    (json) => tx`
      insert into feature_logits (study_id, feature_index, side, rank, token, value)
      select ${studyId}, (r->>0)::int, r->>1, (r->>2)::int, r->>3, (r->>4)::float8
      from jsonb_array_elements(${json}::text::jsonb) as r`,
  );
  await insertChunks(
    data.flatMap((f) => f.neighbours.map((n, rank) => [f.index, rank, n.index, n.cosine])),
    (json) => tx`
      insert into feature_neighbours (study_id, feature_index, rank, neighbour, cosine)
      select ${studyId}, (r->>0)::int, (r->>1)::int, (r->>2)::int, (r->>3)::float8
      from jsonb_array_elements(${json}::text::jsonb) as r`,
  );
  await insertChunks(
    data.flatMap((f) => f.coActivating.map((c, rank) => [f.index, rank, c.index, c.count, c.lift])),
    (json) => tx`
      insert into feature_co_activations (study_id, feature_index, rank, partner, count, lift)
      select ${studyId}, (r->>0)::int, (r->>1)::int, (r->>2)::int, (r->>3)::int, (r->>4)::float8
      from jsonb_array_elements(${json}::text::jsonb) as r`,
  );
}

const keyColumns = (sql: SqlOrTransaction, alias: string) =>
  sql`${sql(alias)}.study_id as "studyId", ${sql(alias)}.feature_index as "featureIndex"`;

/** Histogram bins of one kind for each listed feature, in bin order. */
export function listHistogramBins(sql: SqlOrTransaction, features: Features, kind: HistogramKind): Promise<BinRow[]> {
  if (features.length === 0) return Promise.resolve([]);
  return sql<BinRow[]>`
    select ${keyColumns(sql, "h")}, h.lo, h.hi, h.count
    from feature_histogram_bins h
    join ${wantedFeatures(sql, features)} on wanted.study_id = h.study_id and wanted.feature_index = h.feature_index
    where h.kind = ${kind}
    order by h.study_id, h.feature_index, h.bin`;
}

/** Interval groups with their examples (strongest first) for each listed feature, in interval order. */
export function listQuantiles(sql: SqlOrTransaction, features: Features): Promise<QuantileRow[]> {
  if (features.length === 0) return Promise.resolve([]);
  return sql<QuantileRow[]>`
    select ${keyColumns(sql, "q")}, q.lo, q.hi, q.count,
      coalesce((select json_agg(json_build_object('tokens', e.tokens, 'values', e."values",
                                                  'maxValue', e.max_value, 'position', e.position) order by e.rank)
                from feature_quantile_examples e
                where e.study_id = q.study_id and e.feature_index = q.feature_index and e.quantile = q.quantile),
               '[]'::json) as examples
    from feature_quantiles q
    join ${wantedFeatures(sql, features)} on wanted.study_id = q.study_id and wanted.feature_index = q.feature_index
    order by q.study_id, q.feature_index, q.quantile`;
}

/** The top or bottom logit effects of each listed feature, in rank order. */
export function listLogits(sql: SqlOrTransaction, features: Features, side: LogitSide): Promise<LogitRow[]> {
  if (features.length === 0) return Promise.resolve([]);
  return sql<LogitRow[]>`
    select ${keyColumns(sql, "l")}, l.token, l.value
    from feature_logits l
    join ${wantedFeatures(sql, features)} on wanted.study_id = l.study_id and wanted.feature_index = l.feature_index
    where l.side = ${side}
    order by l.study_id, l.feature_index, l.rank`;
}

const otherFeature = (sql: SqlOrTransaction) => sql`
  json_build_object('studyId', o.study_id, 'index', o.index, 'density', o.density,
                    'maxActivation', o.max_activation, 'meanActivation', o.mean_activation,
                    'interactionStrength', o.interaction_strength) as feature`;

/** The first `first` decoder neighbours of each listed feature with the neighbour's row, in rank order. */
export function listNeighbours(sql: SqlOrTransaction, features: Features, first: number): Promise<NeighbourRow[]> {
  if (features.length === 0 || first <= 0) return Promise.resolve([]);
  return sql<NeighbourRow[]>`
    select ${keyColumns(sql, "n")}, n.cosine, ${otherFeature(sql)}
    from feature_neighbours n
    join ${wantedFeatures(sql, features)} on wanted.study_id = n.study_id and wanted.feature_index = n.feature_index
    join features o on o.study_id = n.study_id and o.index = n.neighbour
    where n.rank < ${first}
    order by n.study_id, n.feature_index, n.rank`;
}

/** The first `first` co-activating features of each listed feature with their rows, in rank order. */
export function listCoActivations(
  sql: SqlOrTransaction,
  features: Features,
  first: number,
): Promise<CoActivationRow[]> {
  if (features.length === 0 || first <= 0) return Promise.resolve([]);
  return sql<CoActivationRow[]>`
    select ${keyColumns(sql, "c")}, c.count, c.lift, ${otherFeature(sql)}
    from feature_co_activations c
    join ${wantedFeatures(sql, features)} on wanted.study_id = c.study_id and wanted.feature_index = c.feature_index
    join features o on o.study_id = c.study_id and o.index = c.partner
    where c.rank < ${first}
    order by c.study_id, c.feature_index, c.rank`;
}
