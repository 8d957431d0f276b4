import assert from "node:assert/strict";
import { before, test } from "node:test";
import { graphql } from "graphql";
import { migrate } from "../../db/migrate.js";
import { createContext } from "../../graphql/context.js";
import { buildGraphQLSchema } from "../../graphql/schema.js";
import { countingSql } from "../../testing/counting-sql.js";
import { HOSTILE_TOKENS, sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { testServerConfig } from "../../testing/test-server.js";
import { saveStudy } from "../study/study.repository.js";

const EVERY_FIELD = `
  query Page($id: ID!, $first: Int!) {
    study(id: $id) {
      features(first: $first) {
        totalCount
        edges { node {
          index density maxActivation meanActivation
          histogram { lo hi count }
          quantiles { lo hi count examples { tokens values maxValue position } }
          examples(first: 20) { tokens values maxValue position }
          topLogits { token value }
          bottomLogits { token value }
          logitHistogram { lo hi count }
          neighbours(first: 10) { feature { index density } cosine }
          coActivating(first: 10) { feature { index density } count lift }
          interactionPartners(first: 5) { totalCount edges { node { strength partner { index } } } }
        } }
      }
    }
  }`;

interface PageData {
  study: {
    features: {
      totalCount: number;
      edges: {
        node: {
          index: number;
          meanActivation: number;
          histogram: { lo: number; hi: number; count: number }[];
          quantiles: { count: number; examples: { tokens: string[]; position: number }[] }[];
          examples: unknown[];
          topLogits: { token: string; value: number }[];
          bottomLogits: { token: string; value: number }[];
          logitHistogram: unknown[];
          neighbours: { feature: { index: number }; cosine: number }[];
          coActivating: { feature: { index: number }; count: number; lift: number }[];
          interactionPartners: { totalCount: number; edges: unknown[] };
        };
      }[];
    };
  };
}

describeOnEachDatabase("feature data over GraphQL", (database) => {
  const input = sampleStudy({ features: 60 });
  let id = "";

  before(async () => {
    await migrate(database().sql);
    id = await saveStudy(database().sql, input);
  });

  async function run<T>(source: string, variables: Record<string, unknown>) {
    const counting = countingSql(database().sql);
    const result = await graphql({
      schema: await buildGraphQLSchema(),
      source,
      variableValues: variables,
      contextValue: createContext(counting.sql, {
        requestId: "feature-data-test",
        caller: { problem: "reads need no token" },
        runLimits: testServerConfig(),
        home: testServerConfig().home,
      }),
    });
    const plain = JSON.parse(JSON.stringify(result)) as { data?: T; errors?: readonly { message: string }[] };
    return { result: plain, statements: counting.statements() };
  }

  test("every field of every feature reads back what was stored", async () => {
    const { result } = await run<PageData>(EVERY_FIELD, { id, first: 60 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const edges = result.data?.study.features.edges ?? [];
    assert.equal(edges.length, 60);
    for (const { node } of edges) {
      const want = input.featureData.find((f) => f.index === node.index);
      assert.ok(want);
      assert.equal(node.meanActivation, want.meanActivation);
      assert.deepEqual(node.histogram, want.histogram);
      assert.deepEqual(
        node.quantiles.map((q) => q.count),
        want.quantiles.map((q) => q.count),
      );
      assert.deepEqual(
        node.quantiles.map((q) => q.examples.map((e) => e.tokens)),
        want.quantiles.map((q) => q.examples.map((e) => e.tokens)),
      );
      assert.deepEqual(node.topLogits, want.topLogits);
      assert.deepEqual(node.bottomLogits, want.bottomLogits);
      assert.equal(node.logitHistogram.length, 50);
      assert.deepEqual(
        node.neighbours.map((n) => [n.feature.index, n.cosine]),
        want.neighbours.map((n) => [n.index, n.cosine]),
      );
      assert.deepEqual(
        node.coActivating.map((c) => [c.feature.index, c.count, c.lift]),
        want.coActivating.map((c) => [c.index, c.count, c.lift]),
      );
      const pairs = input.interactions.filter((p) => p.a === node.index || p.b === node.index);
      assert.equal(node.interactionPartners.totalCount, pairs.length);
      assert.equal(node.interactionPartners.edges.length, Math.min(5, pairs.length));
    }
    const hostile = edges[0]?.node.quantiles[9]?.examples[0]?.tokens;
    assert.deepEqual(hostile?.slice(1), HOSTILE_TOKENS, "markup is stored and served as plain text");
  });

  test("a page of features with every field costs the same number of SQL statements whatever its size", async () => {
    const small = await run<PageData>(EVERY_FIELD, { id, first: 5 });
    const page = await run<PageData>(EVERY_FIELD, { id, first: 50 });
    assert.equal(page.result.errors, undefined, JSON.stringify(page.result.errors));
    assert.equal(page.result.data?.study.features.edges.length, 50);
    assert.equal(page.statements, small.statements);
    // study, features page + count, one statement per list field (8), partners page + count
    assert.equal(page.statements, 13);
  });

  test("features filter by density and max activation and order by interaction strength", async () => {
    const query = `query F($id: ID!, $filter: FeatureFilter, $orderBy: FeatureOrder) {
      study(id: $id) { features(first: 100, filter: $filter, orderBy: $orderBy) {
        totalCount edges { node { index density maxActivation interactionStrength } } } } }`;
    type Nodes = {
      study: {
        features: {
          totalCount: number;
          edges: { node: { index: number; density: number; maxActivation: number; interactionStrength: number } }[];
        };
      };
    };
    const filter = { minDensity: 0.005, maxDensity: 0.01, minMaxActivation: 5 };
    const { result } = await run<Nodes>(query, { id, filter });
    const got = result.data?.study.features.edges.map((e) => e.node.index) ?? [];
    const want = input.features
      .filter((f) => f.density >= 0.005 && f.density <= 0.01 && f.maxActivation >= 5)
      .map((f) => f.index);
    assert.ok(want.length > 0);
    assert.deepEqual(got, want);
    assert.equal(result.data?.study.features.totalCount, want.length);

    const ordered = await run<Nodes>(query, { id, orderBy: "INTERACTION_STRENGTH_DESC" });
    const strengths = ordered.result.data?.study.features.edges.map((e) => e.node.interactionStrength) ?? [];
    assert.equal(strengths.length, 60);
    assert.deepEqual(
      strengths,
      [...strengths].sort((a, b) => b - a),
    );
    assert.ok((strengths[0] ?? 0) > 0);
  });

  test("bad input is refused with a message naming the argument", async () => {
    const feature = `query F($studyId: ID!, $index: Int!) { feature(studyId: $studyId, index: $index) { index } }`;
    const unknown = await run(feature, { studyId: "00000000-0000-4000-8000-000000000000", index: 0 });
    assert.match(unknown.result.errors?.[0]?.message ?? "", /studyId: there is no study/);
    const outside = await run(feature, { studyId: id, index: 5000 });
    assert.match(outside.result.errors?.[0]?.message ?? "", /index 5000 is out of range.*0 … 118/);
    const tooMany = await run(EVERY_FIELD, { id, first: 501 });
    assert.match(tooMany.result.errors?.[0]?.message ?? "", /first must be a whole number between 0 and 500/);
    const badFilter = await run(
      `query F($id: ID!) { study(id: $id) { features(filter: { minDensity: 2 }) { totalCount } } }`,
      {
        id,
      },
    );
    assert.match(badFilter.result.errors?.[0]?.message ?? "", /filter.minDensity must be a density between 0 and 1/);
  });
});
