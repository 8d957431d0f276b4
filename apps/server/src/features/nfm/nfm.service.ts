import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, isId } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import { listFeatures } from "../feature/feature.repository.js";
import { toFeature } from "../feature/feature.service.js";
import type { Feature } from "../feature/feature.type.js";
import { decodeNumberCursor, encodeCursor, InvalidCursorError } from "../pagination/cursor.js";
import type { Study } from "../study/study.type.js";
import type { KDimensionsArgs } from "./nfm.args.js";
import {
  countKDimensions,
  findKDimension,
  findNfm,
  type KDimensionRow,
  type KDimensionSortColumn,
  listEmbeddings,
  pageKDimensions,
} from "./nfm.repository.js";
import {
  type FeatureDimension,
  type KDimension,
  type KDimensionConnection,
  type KDimensionLoading,
  KDimensionOrder,
  type Nfm,
} from "./nfm.type.js";

const ORDERS: Record<KDimensionOrder, KDimensionSortColumn> = {
  [KDimensionOrder.INDEX]: "index",
  [KDimensionOrder.VARIANCE_EXPLAINED]: "variance_explained",
  [KDimensionOrder.EFFECTIVE_RANK]: "effective_rank",
  [KDimensionOrder.L0]: "l0",
};

/** Decodes an offset cursor (a list position), turning a foreign cursor into a client error naming `argument`. */
export function decodeOffset(after: string | null | undefined, argument = "after"): number {
  if (after === null || after === undefined) return 0;
  try {
    const [offset] = decodeNumberCursor(after, 1, argument);
    if (!Number.isInteger(offset) || offset! < 0)
      throw new InvalidCursorError(`${argument} is not a cursor of this list`);
    return offset! + 1;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badUserInput(error.message);
    throw error;
  }
}

function toDimension(row: KDimensionRow): KDimension {
  const { topFeatures, topPairs, ...rest } = row;
  return { ...rest, loadings: topFeatures, pairs: topPairs };
}

type Key = { studyId: string; index: number };
const keyOf = (studyId: string, index: number) => `${studyId}:${index}`;

/** The study's NFM, its K dimensions and the features' rows of V; per-feature lookups are batched per turn. */
export class NfmService {
  private readonly embeddings: TickBatcher<Key, number[] | null>;
  private readonly features: TickBatcher<Key, Feature | null>;

  constructor(private readonly sql: Sql) {
    this.embeddings = new TickBatcher(async (keys) => {
      const rows = await listEmbeddings(this.sql, keys);
      const byKey = new Map(rows.map((row) => [keyOf(row.studyId, row.featureIndex), row.v]));
      return keys.map((key) => byKey.get(keyOf(key.studyId, key.index)) ?? null);
    });
    this.features = new TickBatcher(async (keys) => {
      const rows = await listFeatures(this.sql, keys);
      const byKey = new Map(rows.map((row) => [keyOf(row.studyId, row.index), toFeature(row)]));
      return keys.map((key) => byKey.get(keyOf(key.studyId, key.index)) ?? null);
    });
  }

  /** A feature's row of V (null when the study stores no embeddings). */
  embedding(studyId: string, index: number): Promise<number[] | null> {
    return this.embeddings.load({ studyId, index });
  }

  /** A feature by key (null when the study has no such feature), batched. */
  feature(studyId: string, index: number): Promise<Feature | null> {
    return this.features.load({ studyId, index });
  }

  async summary(study: Study): Promise<Nfm | null> {
    const row = await findNfm(this.sql, study.id);
    if (!row) return null;
    const full = fullReport(study.report);
    return {
      k: row.k,
      variant: "full",
      er: full?.er ?? study.metrics.nfmErrorReduction,
      ci95: full?.ci95 ?? study.metrics.nfmErrorReductionCi95,
      parameters: full?.parameters ?? null,
      cooccurrence: row.inspection?.cooccurrence ?? null,
      replication: row.inspection
        ? {
            top: row.inspection.replication.top,
            seeds: row.inspection.replication.seeds,
            supportedSeeds: row.inspection.replication.supported ?? null,
          }
        : null,
    };
  }

  async page(studyId: string, args: KDimensionsArgs): Promise<KDimensionConnection> {
    const first = checkCount("first", args.first ?? 25);
    const offset = decodeOffset(args.after);
    const order = ORDERS[args.orderBy ?? KDimensionOrder.INDEX];
    const [rows, total] = await Promise.all([
      pageKDimensions(this.sql, { studyId, order, offset, limit: first + 1 }),
      countKDimensions(this.sql, studyId),
    ]);
    const edges = rows
      .slice(0, first)
      .map((row, i) => ({ node: toDimension(row), cursor: encodeCursor([offset + i]) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: total,
    };
  }

  async find(studyId: string, index: number): Promise<KDimension | null> {
    if (!isId(studyId)) return null;
    if (!Number.isInteger(index) || index < 0) {
      throw badUserInput(`index must be a K dimension 0 … K−1 (got ${index})`);
    }
    const row = await findKDimension(this.sql, studyId, index);
    return row ? toDimension(row) : null;
  }

  async loadings(dimension: KDimension, first: number): Promise<KDimensionLoading[]> {
    const wanted = dimension.loadings.slice(0, checkCount("first", first));
    const features = await Promise.all(wanted.map((l) => this.feature(dimension.studyId, l.feature)));
    return wanted.flatMap((l, i) => (features[i] ? [{ feature: features[i], loading: l.loading }] : []));
  }

  /** The K dimensions where the feature's |v_k| is largest, largest first. */
  async topDimensions(feature: Feature, first: number): Promise<FeatureDimension[]> {
    const count = checkCount("first", first);
    const v = await this.embedding(feature.studyId, feature.index);
    if (!v) return [];
    return v
      .map((loading, index) => ({ index, loading }))
      .sort((x, y) => Math.abs(y.loading) - Math.abs(x.loading) || x.index - y.index)
      .slice(0, count);
  }
}

/** The full NFM's figures in a stored report (any shape: missing figures are null). */
function fullReport(
  report: Record<string, unknown> | null,
): { er?: number; ci95?: number[]; parameters?: number } | null {
  const nfm = report?.["nfm"];
  if (!nfm || typeof nfm !== "object") return null;
  const full = (nfm as Record<string, unknown>)["full"];
  if (!full || typeof full !== "object") return null;
  const { er, ci95, parameters } = full as Record<string, unknown>;
  return {
    ...(typeof er === "number" ? { er } : {}),
    ...(Array.isArray(ci95) && ci95.every((x) => typeof x === "number") ? { ci95: ci95 as number[] } : {}),
    ...(typeof parameters === "number" ? { parameters } : {}),
  };
}
