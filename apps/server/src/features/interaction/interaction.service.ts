import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, checkRange, isId, notFound } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import type { PartnersArgs } from "../feature/feature.args.js";
import { decodeAfter, toFeature } from "../feature/feature.service.js";
import type { Feature } from "../feature/feature.type.js";
import { mapFeatures } from "../nfm/nfm.repository.js";
import { decodeOffset, type NfmService } from "../nfm/nfm.service.js";
import { encodeCursor } from "../pagination/cursor.js";
import type { InteractionsArgs } from "./interaction.args.js";
import {
  countPartnersOfMany,
  type InteractionRow,
  pagePartnersOfMany,
  topInteractions,
} from "./interaction.repository.js";
import {
  type InteractionMap,
  InteractionOrder,
  type InteractionPair,
  type InteractionPairConnection,
  type PairDimension,
  type PairExample,
} from "./interaction.type.js";
import {
  countPairs,
  findPairs,
  listPairExamples,
  type PairKey,
  type PairSortColumn,
  pagePairs,
} from "./pair.repository.js";

const ORDERS: Record<InteractionOrder, PairSortColumn> = {
  [InteractionOrder.STRENGTH]: "strength",
  [InteractionOrder.CONTRIBUTION]: "contribution",
  [InteractionOrder.LIFT]: "lift",
};

/** Largest map the interactionMap query draws (features per side). */
export const MAX_MAP_FEATURES = 200;

function toPair(row: InteractionRow, fromIndex?: number): InteractionPair {
  const a = toFeature(row.a);
  const b = toFeature(row.b);
  const partner = fromIndex === undefined ? null : fromIndex === a.index ? b : a;
  const seeds = row.seedStrengths.length;
  return {
    id: `${row.studyId}:${row.a.index}:${row.b.index}`,
    studyId: row.studyId,
    strength: row.strength,
    coActivations: row.coActivations,
    lift: row.measured ? row.lift : null,
    supported: row.measured ? row.coActivations > 0 : null,
    contribution: row.measured ? row.contribution : null,
    contributionRows: row.measured ? row.contributionRows : null,
    share: row.measured ? row.share : null,
    replication:
      row.measured && seeds > 0 && row.replicatedSeeds !== null
        ? { seeds: row.replicatedSeeds, overlap: row.replicatedSeeds / seeds, strengths: row.seedStrengths }
        : null,
    stored: true,
    a,
    b,
    partner,
  };
}

const dot = (x: readonly number[], y: readonly number[]) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
const pairKey = (key: PairKey) => `${key.studyId}:${Math.min(key.a, key.b)}:${Math.max(key.a, key.b)}`;

export class InteractionService {
  private readonly partnerBatchers = new Map<string, TickBatcher<Feature, InteractionPairConnection>>();

  private readonly storedPairs: TickBatcher<PairKey, InteractionRow | null>;
  private readonly examplesBatchers = new Map<number, TickBatcher<PairKey, PairExample[]>>();

  constructor(
    private readonly sql: Sql,
    private readonly nfm: NfmService,
  ) {
    this.storedPairs = new TickBatcher(async (keys) => {
      const rows = await findPairs(this.sql, keys);
      const byKey = new Map(
        rows.map((row) => [pairKey({ studyId: row.studyId, a: row.a.index, b: row.b.index }), row]),
      );
      return keys.map((key) => byKey.get(pairKey(key)) ?? null);
    });
  }

  /** A page of the study's stored pairs: supported first, then by the order asked (ties by |strength|). */
  async page(studyId: string, args: InteractionsArgs): Promise<InteractionPairConnection> {
    const first = checkCount("first", args.first ?? 25);
    const offset = decodeOffset(args.after);
    const supportedOnly = args.supportedOnly ?? false;
    const order = ORDERS[args.orderBy ?? InteractionOrder.STRENGTH];
    const [rows, total] = await Promise.all([
      pagePairs(this.sql, { studyId, order, supportedOnly, offset, limit: first + 1 }),
      countPairs(this.sql, studyId, supportedOnly),
    ]);
    const edges = rows.slice(0, first).map((row, i) => ({ node: toPair(row), cursor: encodeCursor([offset + i]) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: total,
    };
  }

  /** A stored pair by its features (either order), batched; null when the study does not store it. */
  async stored(studyId: string, a: number, b: number): Promise<InteractionPair | null> {
    const row = await this.storedPairs.load({ studyId, a, b });
    return row ? toPair(row) : null;
  }

  /**
   * Any two distinct features of the study, in either order: the stored pair when there is one, else the strength
   * from the stored embeddings with the held-out measurements null.
   */
  async pair(studyId: string, a: number, b: number): Promise<InteractionPair> {
    if (!isId(studyId)) throw notFound(`there is no study with id "${studyId.slice(0, 80)}"`);
    if (a === b) throw badUserInput(`a and b are both ${a}; a pair needs two distinct features`);
    const stored = await this.stored(studyId, a, b);
    if (stored) return stored;
    const [fa, fb, va, vb] = await Promise.all([
      this.nfm.feature(studyId, a),
      this.nfm.feature(studyId, b),
      this.nfm.embedding(studyId, a),
      this.nfm.embedding(studyId, b),
    ]);
    for (const [name, index, feature] of [
      ["a", a, fa],
      ["b", b, fb],
    ] as const) {
      if (!feature) throw badUserInput(`${name}: this study has no feature ${index}; pick one from its features list`);
    }
    if (!va || !vb) {
      throw badUserInput("this study stores no NFM embeddings, so only its stored pairs (interactions) can be read");
    }
    const [low, high] = a < b ? [fa!, fb!] : [fb!, fa!];
    return {
      id: `${studyId}:${low.index}:${high.index}`,
      studyId,
      strength: dot(va, vb),
      coActivations: null,
      lift: null,
      supported: null,
      contribution: null,
      contributionRows: null,
      share: null,
      replication: null,
      stored: false,
      a: low,
      b: high,
      partner: null,
    };
  }

  /** The stored examples of a pair, largest contribution first (batched per `first`). */
  examples(pair: InteractionPair, first: number): Promise<PairExample[]> {
    const count = checkCount("first", first);
    if (!pair.stored) return Promise.resolve([]);
    let batcher = this.examplesBatchers.get(count);
    if (!batcher) {
      batcher = new TickBatcher(async (keys) => {
        const rows = await listPairExamples(this.sql, keys, count);
        const groups = new Map<string, PairExample[]>();
        for (const row of rows) {
          const key = pairKey(row);
          groups.set(key, [...(groups.get(key) ?? []), row]);
        }
        return keys.map((key) => groups.get(pairKey(key)) ?? []);
      });
      this.examplesBatchers.set(count, batcher);
    }
    return batcher.load({ studyId: pair.studyId, a: pair.a.index, b: pair.b.index });
  }

  /** The K dimensions carrying the pair: largest |v_a,k · v_b,k| first. */
  async dimensions(pair: InteractionPair, first: number): Promise<PairDimension[]> {
    const count = checkCount("first", first);
    const [va, vb] = await Promise.all([
      this.nfm.embedding(pair.studyId, pair.a.index),
      this.nfm.embedding(pair.studyId, pair.b.index),
    ]);
    if (!va || !vb) return [];
    return va
      .map((x, index) => ({ index, load: x * (vb[index] ?? 0), aLoading: x, bLoading: vb[index] ?? 0 }))
      .sort((x, y) => Math.abs(y.load) - Math.abs(x.load) || x.index - y.index)
      .slice(0, count);
  }

  /** The `features` features with the largest summed |strength| and the signed strengths among them (one query). */
  async map(studyId: string, features: number): Promise<InteractionMap> {
    const n = checkRange("features", features, 2, MAX_MAP_FEATURES);
    if (!isId(studyId)) return { features: [], strengths: [] };
    const rows = await mapFeatures(this.sql, studyId, n);
    const strengths = rows.map((x, i) => rows.map((y, j) => (i === j ? 0 : dot(x.v, y.v))));
    return { features: rows.map(({ v: _v, ...row }) => toFeature(row)), strengths };
  }

  async top(studyId: string, first: number): Promise<InteractionPair[]> {
    const rows = await topInteractions(this.sql, studyId, checkCount("first", first));
    return rows.map((row) => toPair(row));
  }

  /**
   * The pairs `feature` takes part in, strongest first, each with `partner` set to the other feature; the calls made
   * with the same arguments in one turn (a page of features) share two SQL statements.
   */
  partners(feature: Feature, args: PartnersArgs): Promise<InteractionPairConnection> {
    const first = checkCount("first", args.first ?? 10);
    const after = decodeAfter(args.after);
    const key = JSON.stringify([first, after ?? null]);
    let batcher = this.partnerBatchers.get(key);
    if (!batcher) {
      batcher = new TickBatcher((features) => this.loadPartners(features, first, after));
      this.partnerBatchers.set(key, batcher);
    }
    return batcher.load(feature);
  }

  private async loadPartners(
    features: Feature[],
    first: number,
    after: [number, number] | undefined,
  ): Promise<InteractionPairConnection[]> {
    const [rows, counts] = await Promise.all([
      pagePartnersOfMany(this.sql, { features, limit: first + 1, after }),
      countPartnersOfMany(this.sql, features),
    ]);
    return features.map((feature, i) => {
      const mine = rows.filter((row) => row.studyId === feature.studyId && row.featureIndex === feature.index);
      const edges = mine.slice(0, first).map((row) => ({
        node: toPair(row, feature.index),
        cursor: encodeCursor([Math.abs(row.strength), row.partnerIndex]),
      }));
      return {
        edges,
        pageInfo: { hasNextPage: mine.length > first, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: counts[i] ?? 0,
      };
    });
  }
}
