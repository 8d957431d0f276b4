import type { Sql } from "../../db/sql.js";
import { checkCount } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import type { PartnersArgs } from "../feature/feature.args.js";
import { decodeAfter, toFeature } from "../feature/feature.service.js";
import type { Feature } from "../feature/feature.type.js";
import { encodeCursor } from "../pagination/cursor.js";
import {
  countPartnersOfMany,
  type InteractionRow,
  pagePartnersOfMany,
  topInteractions,
} from "./interaction.repository.js";
import type { InteractionPair, InteractionPairConnection } from "./interaction.type.js";

function toPair(row: InteractionRow, fromIndex?: number): InteractionPair {
  const a = toFeature(row.a);
  const b = toFeature(row.b);
  const partner = fromIndex === undefined ? null : fromIndex === a.index ? b : a;
  return {
    id: `${row.studyId}:${row.a.index}:${row.b.index}`,
    strength: row.strength,
    coActivations: row.coActivations,
    a,
    b,
    partner,
  };
}

export class InteractionService {
  private readonly partnerBatchers = new Map<string, TickBatcher<Feature, InteractionPairConnection>>();

  constructor(private readonly sql: Sql) {}

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
        cursor: encodeCursor([row.strength, row.partnerIndex]),
      }));
      return {
        edges,
        pageInfo: { hasNextPage: mine.length > first, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: counts[i] ?? 0,
      };
    });
  }
}
