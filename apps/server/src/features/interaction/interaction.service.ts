import type { Sql } from "../../db/sql.js";
import { checkCount } from "../../graphql/errors.js";
import type { PartnersArgs } from "../feature/feature.args.js";
import { decodeAfter, toFeature } from "../feature/feature.service.js";
import type { Feature } from "../feature/feature.type.js";
import { encodeCursor } from "../pagination/cursor.js";
import { countPartners, type InteractionRow, pagePartners, topInteractions } from "./interaction.repository.js";
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
  constructor(private readonly sql: Sql) {}

  async top(studyId: string, first: number): Promise<InteractionPair[]> {
    const rows = await topInteractions(this.sql, studyId, checkCount("first", first));
    return rows.map((row) => toPair(row));
  }

  /** The pairs `feature` takes part in, strongest first, each with `partner` set to the other feature. */
  async partners(feature: Feature, args: PartnersArgs): Promise<InteractionPairConnection> {
    const first = checkCount("first", args.first ?? 10);
    const after = decodeAfter(args.after);
    const query = { studyId: feature.studyId, featureIndex: feature.index, limit: first + 1, after };
    const [rows, totalCount] = await Promise.all([
      pagePartners(this.sql, query),
      countPartners(this.sql, feature.studyId, feature.index),
    ]);
    const edges = rows.slice(0, first).map((row) => ({
      node: toPair(row, feature.index),
      cursor: encodeCursor([row.strength, row.partnerIndex]),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }
}
