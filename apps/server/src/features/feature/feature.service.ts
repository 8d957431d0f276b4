import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, isId } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import { decodeNumberCursor, encodeCursor, InvalidCursorError } from "../pagination/cursor.js";
import type { FeaturesArgs } from "./feature.args.js";
import {
  countFeatures,
  type FeatureOrderSpec,
  type FeatureRow,
  findFeature,
  listExamples,
  pageFeatures,
} from "./feature.repository.js";
import { type ActivationExample, type Feature, type FeatureConnection, FeatureOrder } from "./feature.type.js";

const ORDERS: Record<FeatureOrder, FeatureOrderSpec> = {
  [FeatureOrder.INDEX_ASC]: { column: "index", direction: "asc" },
  [FeatureOrder.DENSITY_DESC]: { column: "density", direction: "desc" },
  [FeatureOrder.DENSITY_ASC]: { column: "density", direction: "asc" },
  [FeatureOrder.MAX_ACTIVATION_DESC]: { column: "max_activation", direction: "desc" },
  [FeatureOrder.MAX_ACTIVATION_ASC]: { column: "max_activation", direction: "asc" },
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

export class FeatureService {
  private readonly exampleBatchers = new Map<number, TickBatcher<Feature, ActivationExample[]>>();

  constructor(private readonly sql: Sql) {}

  async find(studyId: string, index: number): Promise<Feature | null> {
    if (!isId(studyId)) return null;
    const row = await findFeature(this.sql, studyId, index);
    return row ? toFeature(row) : null;
  }

  async page(studyId: string, args: FeaturesArgs): Promise<FeatureConnection> {
    const first = checkCount("first", args.first ?? 25);
    const order = ORDERS[args.orderBy ?? FeatureOrder.INDEX_ASC];
    const after = decodeAfter(args.after);
    const [rows, totalCount] = await Promise.all([
      pageFeatures(this.sql, { studyId, order, limit: first + 1, after }),
      countFeatures(this.sql, studyId),
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

  /** The feature's top examples; calls made for sibling features in one turn share one query. */
  examples(feature: Feature, first: number): Promise<ActivationExample[]> {
    checkCount("first", first);
    let batcher = this.exampleBatchers.get(first);
    if (!batcher) {
      batcher = new TickBatcher((features) => this.loadExamples(features, first));
      this.exampleBatchers.set(first, batcher);
    }
    return batcher.load(feature);
  }

  private async loadExamples(features: Feature[], first: number): Promise<ActivationExample[][]> {
    const rows = await listExamples(this.sql, features, first);
    const byFeature = new Map<string, ActivationExample[]>();
    for (const row of rows) {
      const key = `${row.studyId}:${row.featureIndex}`;
      const list = byFeature.get(key) ?? [];
      list.push({ tokens: row.tokens, values: row.values, maxValue: row.maxValue });
      byFeature.set(key, list);
    }
    return features.map((feature) => byFeature.get(`${feature.studyId}:${feature.index}`) ?? []);
  }
}

function sortValue(row: FeatureRow, order: FeatureOrderSpec): number {
  if (order.column === "density") return row.density;
  if (order.column === "max_activation") return row.maxActivation;
  return row.index;
}
