import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, isId, notFound } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import { decodeNumberCursor, encodeCursor, InvalidCursorError } from "../pagination/cursor.js";
import type { HistogramBin } from "../study/study.type.js";
import type { FeatureFilter, FeaturesArgs } from "./feature.args.js";
import {
  countFeatures,
  type FeatureFilterSpec,
  type FeatureOrderSpec,
  type FeatureRow,
  featureIndexRange,
  findFeature,
  listExamples,
  pageFeatures,
} from "./feature.repository.js";
import {
  type ActivationExample,
  type CoActivatingFeature,
  type Feature,
  type FeatureConnection,
  type FeatureNeighbour,
  FeatureOrder,
  type LogitEffect,
  type QuantileGroup,
} from "./feature.type.js";
import {
  type HistogramKind,
  type LogitSide,
  listCoActivations,
  listHistogramBins,
  listLogits,
  listNeighbours,
  listQuantiles,
} from "./feature-data.repository.js";

const ORDERS: Record<FeatureOrder, FeatureOrderSpec> = {
  [FeatureOrder.INDEX_ASC]: { column: "index", direction: "asc" },
  [FeatureOrder.DENSITY_DESC]: { column: "density", direction: "desc" },
  [FeatureOrder.DENSITY_ASC]: { column: "density", direction: "asc" },
  [FeatureOrder.MAX_ACTIVATION_DESC]: { column: "max_activation", direction: "desc" },
  [FeatureOrder.MAX_ACTIVATION_ASC]: { column: "max_activation", direction: "asc" },
  [FeatureOrder.INTERACTION_STRENGTH_DESC]: { column: "interaction_strength", direction: "desc" },
};

export function toFeature(row: FeatureRow): Feature {
  return { id: `${row.studyId}:${row.index}`, ...row };
}

/** Decodes an `after` argument, turning a foreign cursor into a client error. */
export function decodeAfter(after: string | null | undefined, argument = "after"): [number, number] | undefined {
  if (after === null || after === undefined) return undefined;
  try {
    const [value, index] = decodeNumberCursor(after, 2, argument);
    return [value as number, index as number];
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badUserInput(error.message);
    throw error;
  }
}

/** Checks a features filter: densities in [0, 1] with min ≤ max, a finite minimum max activation. */
export function filterSpec(filter: FeatureFilter | null | undefined): FeatureFilterSpec {
  const spec: FeatureFilterSpec = {};
  const density = (name: "minDensity" | "maxDensity") => {
    const value = filter?.[name];
    if (value === null || value === undefined) return;
    if (!(value >= 0 && value <= 1))
      throw badUserInput(`filter.${name} must be a density between 0 and 1 (got ${value})`);
    spec[name] = value;
  };
  density("minDensity");
  density("maxDensity");
  if (spec.minDensity !== undefined && spec.maxDensity !== undefined && spec.minDensity > spec.maxDensity) {
    throw badUserInput(
      `filter.minDensity (${spec.minDensity}) is above filter.maxDensity (${spec.maxDensity}); swap them`,
    );
  }
  const minMax = filter?.minMaxActivation;
  if (minMax !== null && minMax !== undefined) {
    if (!Number.isFinite(minMax)) throw badUserInput(`filter.minMaxActivation must be a finite number (got ${minMax})`);
    spec.minMaxActivation = minMax;
  }
  return spec;
}

const keyOf = (studyId: string, index: number) => `${studyId}:${index}`;

/** Groups rows by their feature and returns one list per requested feature, in the requested order. */
function byFeature<R extends { studyId: string; featureIndex: number }, T>(
  features: Feature[],
  rows: R[],
  map: (row: R) => T,
): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row.studyId, row.featureIndex);
    const list = groups.get(key) ?? [];
    list.push(map(row));
    groups.set(key, list);
  }
  return features.map((feature) => groups.get(keyOf(feature.studyId, feature.index)) ?? []);
}

/**
 * Features and every list a feature page shows. Each list field is batched: the calls made for the features of one
 * page in one turn of the event loop share one SQL statement (per field and arguments).
 */
export class FeatureService {
  private readonly batchers = new Map<string, TickBatcher<Feature, unknown>>();

  constructor(private readonly sql: Sql) {}

  private batched<T>(name: string, feature: Feature, load: (features: Feature[]) => Promise<T[]>): Promise<T> {
    let batcher = this.batchers.get(name) as TickBatcher<Feature, T> | undefined;
    if (!batcher) {
      batcher = new TickBatcher(load);
      this.batchers.set(name, batcher as TickBatcher<Feature, unknown>);
    }
    return batcher.load(feature);
  }

  /** A feature by index; an unknown study or an index outside the study's features is an error naming it. */
  async find(studyId: string, index: number): Promise<Feature> {
    const unknown = () => notFound(`studyId: there is no study with id "${studyId}"; list the studies to find its id`);
    if (!isId(studyId)) throw unknown();
    const row = await findFeature(this.sql, studyId, index);
    if (row) return toFeature(row);
    const range = await featureIndexRange(this.sql, studyId);
    if (!range) throw unknown();
    if (index < range.min || index > range.max) {
      throw badUserInput(
        `index ${index} is out of range: this study's features are numbered ${range.min} … ${range.max}`,
      );
    }
    throw badUserInput(`index ${index}: this study stores no feature ${index}; pick one from its features list`);
  }

  async page(studyId: string, args: FeaturesArgs): Promise<FeatureConnection> {
    const first = checkCount("first", args.first ?? 25);
    const order = ORDERS[args.orderBy ?? FeatureOrder.INDEX_ASC];
    const filter = { ...filterSpec(args.filter), ...searchSpec(args.search) };
    const after = decodeAfter(args.after);
    const [rows, totalCount] = await Promise.all([
      pageFeatures(this.sql, { studyId, order, limit: first + 1, after, filter }),
      countFeatures(this.sql, studyId, filter),
    ]);
    const edges = rows.slice(0, first).map((row) => ({
      node: toFeature(row),
      cursor: encodeCursor([sortValue(row, order), row.index]),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** The feature's top examples, strongest first. */
  examples(feature: Feature, first: number): Promise<ActivationExample[]> {
    checkCount("first", first);
    return this.batched(`examples:${first}`, feature, async (features) =>
      byFeature(features, await listExamples(this.sql, features, first), (row) => ({
        tokens: row.tokens,
        values: row.values,
        maxValue: row.maxValue,
        position: row.position,
      })),
    );
  }

  histogram(feature: Feature, kind: HistogramKind): Promise<HistogramBin[]> {
    return this.batched(`histogram:${kind}`, feature, async (features) =>
      byFeature(features, await listHistogramBins(this.sql, features, kind), ({ lo, hi, count }) => ({
        lo,
        hi,
        count,
      })),
    );
  }

  quantiles(feature: Feature): Promise<QuantileGroup[]> {
    return this.batched("quantiles", feature, async (features) =>
      byFeature(features, await listQuantiles(this.sql, features), ({ lo, hi, count, examples }) => ({
        lo,
        hi,
        count,
        examples,
      })),
    );
  }

  logits(feature: Feature, side: LogitSide): Promise<LogitEffect[]> {
    return this.batched(`logits:${side}`, feature, async (features) =>
      byFeature(features, await listLogits(this.sql, features, side), ({ token, value }) => ({ token, value })),
    );
  }

  neighbours(feature: Feature, first: number): Promise<FeatureNeighbour[]> {
    checkCount("first", first);
    return this.batched(`neighbours:${first}`, feature, async (features) =>
      byFeature(features, await listNeighbours(this.sql, features, first), (row) => ({
        cosine: row.cosine,
        feature: toFeature(row.feature),
      })),
    );
  }

  coActivating(feature: Feature, first: number): Promise<CoActivatingFeature[]> {
    checkCount("first", first);
    return this.batched(`coActivating:${first}`, feature, async (features) =>
      byFeature(features, await listCoActivations(this.sql, features, first), (row) => ({
        count: row.count,
        lift: row.lift,
        feature: toFeature(row.feature),
      })),
    );
  }
}

/** Longest search text accepted. */
export const MAX_SEARCH_LENGTH = 200;

/** Checks a features search: trimmed, at most MAX_SEARCH_LENGTH characters; empty means no search. */
export function searchSpec(search: string | null | undefined): Pick<FeatureFilterSpec, "search"> {
  const text = search?.trim() ?? "";
  if (text === "") return {};
  if (text.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`search is ${text.length} characters long; use at most ${MAX_SEARCH_LENGTH}`);
  }
  return { search: text };
}

function sortValue(row: FeatureRow, order: FeatureOrderSpec): number {
  if (order.column === "density") return row.density;
  if (order.column === "max_activation") return row.maxActivation;
  if (order.column === "interaction_strength") return row.interactionStrength;
  return row.index;
}
