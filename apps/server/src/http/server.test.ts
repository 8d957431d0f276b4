import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import postgres from "postgres";
import { migrate } from "../db/migrate.js";
import { saveStudy } from "../features/study/study.repository.js";
import { data, gql } from "../testing/graphql-request.js";
import { sampleStudy } from "../testing/sample-study.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { testServerConfig, testToken } from "../testing/test-server.js";
import { type RunningServer, startServer } from "./server.js";

interface FeaturePage {
  study: {
    features: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: { index: number; density: number; maxActivation: number } }[];
    };
  };
}

const FEATURES = `query($id: ID!, $first: Int, $after: String, $orderBy: FeatureOrder) {
  study(id: $id) { features(first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { index density maxActivation } } } } }`;

describeOnEachDatabase("GraphQL over HTTP", (database) => {
  let server: RunningServer;
  let studyId: string;
  const input = sampleStudy({ name: "http study", features: 10 });

  let token: string;

  before(async () => {
    const { sql } = database();
    await migrate(sql);
    studyId = await saveStudy(sql, input);
    token = await testToken(sql);
    server = await startServer({ config: testServerConfig(), sql, port: 0 });
  });

  after(async () => {
    await server?.close();
  });

  test("healthz answers 200 when the database answers", async () => {
    const response = await fetch(server.url.replace("/graphql", "/healthz"));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });

  test("CORS allows only the dashboard's origin", async () => {
    for (const [origin, allowed] of [
      ["http://127.0.0.1:3000", "http://127.0.0.1:3000"],
      ["http://localhost:3000", "http://localhost:3000"],
      ["https://evil.example", null],
    ] as const) {
      const preflight = await fetch(server.url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), allowed, origin);
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ query: "{ studies { id } }" }),
      });
      assert.equal(response.headers.get("access-control-allow-origin"), allowed, origin);
    }
  });

  test("studies, study and its metrics and report", async () => {
    const result = await data<{
      studies: { id: string; name: string }[];
      study: {
        name: string;
        model: string;
        hook: string;
        createdAt: string;
        report: unknown;
        metrics: { dSae: number; nfmErrorReduction: number; nfmErrorReductionCi95: number[] };
      };
      missing: null;
      malformed: null;
    }>(
      server.url,
      `query($id: ID!) {
        studies { id name }
        study(id: $id) { name model hook createdAt report metrics { dSae nfmErrorReduction nfmErrorReductionCi95 } }
        missing: study(id: "00000000-0000-0000-0000-000000000000") { id }
        malformed: study(id: "not-an-id") { id }
      }`,
      { id: studyId },
    );
    assert.deepEqual(
      result.studies.map((study) => study.id),
      [studyId],
    );
    assert.equal(result.study.name, "http study");
    assert.equal(result.study.hook, input.hook);
    assert.ok(!Number.isNaN(Date.parse(result.study.createdAt)));
    assert.deepEqual(result.study.report, input.report);
    assert.deepEqual(result.study.metrics, {
      dSae: input.metrics.dSae,
      nfmErrorReduction: input.metrics.nfmErrorReduction,
      nfmErrorReductionCi95: input.metrics.nfmErrorReductionCi95,
    });
    assert.equal(result.missing, null);
    assert.equal(result.malformed, null);
  });

  test("features paginate with cursors in every order", async () => {
    for (const [orderBy, key, direction] of [
      ["INDEX_ASC", "index", 1],
      ["DENSITY_DESC", "density", -1],
      ["DENSITY_ASC", "density", 1],
      ["MAX_ACTIVATION_DESC", "maxActivation", -1],
      ["MAX_ACTIVATION_ASC", "maxActivation", 1],
    ] as const) {
      const seen: { index: number; density: number; maxActivation: number }[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page: FeaturePage = await data<FeaturePage>(server.url, FEATURES, {
          id: studyId,
          first: 3,
          after,
          orderBy,
        });
        const connection = page.study.features;
        assert.equal(connection.totalCount, 10);
        seen.push(...connection.edges.map((edge) => edge.node));
        pages += 1;
        if (!connection.pageInfo.hasNextPage) break;
        assert.equal(connection.pageInfo.endCursor, connection.edges.at(-1)?.cursor);
        after = connection.pageInfo.endCursor;
      }
      assert.equal(pages, 4, orderBy);
      const expected = input.features
        .map(({ index, density, maxActivation }) => ({ index, density, maxActivation }))
        .sort((x, y) => direction * (x[key] - y[key]) || x.index - y.index);
      assert.deepEqual(seen, expected, orderBy);
    }
  });

  test("a foreign cursor and an out-of-range first are client errors naming the argument", async () => {
    const badCursor = await gql(server.url, FEATURES, { id: studyId, after: "bm9wZQ" });
    assert.match(badCursor.errors?.[0]?.message ?? "", /^after is not a cursor/);
    assert.equal(badCursor.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    const badFirst = await gql(server.url, FEATURES, { id: studyId, first: -1 });
    assert.match(badFirst.errors?.[0]?.message ?? "", /^first must be a whole number between 0 and 500/);
  });

  test("a feature with its examples and interaction partners, paginated, each with the other end", async () => {
    type Partners = {
      feature: {
        id: string;
        index: number;
        examples: { tokens: string[]; values: number[]; maxValue: number }[];
        interactionPartners: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: {
            node: { strength: number; a: { index: number }; b: { index: number }; partner: { index: number } };
          }[];
        };
      } | null;
    };
    const query = `query($studyId: ID!, $after: String) { feature(studyId: $studyId, index: 0) {
      id index examples(first: 2) { tokens values maxValue }
      interactionPartners(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { strength a { index } b { index } partner { index } } } } } }`;
    const partners: { index: number; strength: number }[] = [];
    let after: string | null = null;
    for (;;) {
      const result: Partners = await data<Partners>(server.url, query, { studyId, after });
      const feature = result.feature;
      assert.ok(feature);
      assert.equal(feature.index, 0);
      assert.equal(feature.examples.length, 2);
      assert.deepEqual(feature.examples[0]?.tokens, input.features[0]?.examples[0]?.tokens);
      for (const { node } of feature.interactionPartners.edges) {
        const other = node.a.index === 0 ? node.b.index : node.a.index;
        assert.equal(node.partner.index, other);
        partners.push({ index: other, strength: node.strength });
      }
      if (!feature.interactionPartners.pageInfo.hasNextPage) break;
      after = feature.interactionPartners.pageInfo.endCursor;
    }
    const expected = input.interactions
      .filter((pair) => pair.a === 0 || pair.b === 0)
      .map((pair) => ({ index: pair.a === 0 ? pair.b : pair.a, strength: pair.strength }))
      .sort((x, y) => y.strength - x.strength || x.index - y.index);
    assert.deepEqual(partners, expected);
  });

  test("top interactions, strongest first, have no partner", async () => {
    const result = await data<{
      study: { topInteractions: { id: string; strength: number; coActivations: number; partner: null }[] };
    }>(
      server.url,
      `query($id: ID!) { study(id: $id) { topInteractions(first: 3) { id strength coActivations partner { id } } } }`,
      {
        id: studyId,
      },
    );
    const strengths = input.interactions.map((pair) => pair.strength).sort((x, y) => y - x);
    assert.deepEqual(
      result.study.topInteractions.map((pair) => pair.strength),
      strengths.slice(0, 3),
    );
    assert.ok(result.study.topInteractions.every((pair) => pair.partner === null));
  });

  test("every feature of a page gets its examples; the density histogram counts every feature", async () => {
    const result = await data<{
      study: { features: { edges: { node: { index: number; examples: { maxValue: number }[] } }[] } };
      histogram: { densityHistogram: { count: number }[] };
    }>(
      server.url,
      `query($id: ID!) { study(id: $id) { features(first: 10) { edges { node { index examples(first: 1) { maxValue } } } } }
        histogram: study(id: $id) { densityHistogram(bins: 4) { count } } }`,
      { id: studyId },
    );
    for (const { node } of result.study.features.edges) assert.equal(node.examples.length, 1);
    const counts = result.histogram.densityHistogram.map((bin) => bin.count);
    assert.equal(counts.length, 4);
    assert.equal(
      counts.reduce((sum, count) => sum + count, 0),
      10,
    );
  });

  test("requestStudyRun queues a run, cancelRun cancels it, runs lists it", async () => {
    const requested = await data<{ requestStudyRun: { id: string; status: string; kind: string; params: unknown } }>(
      server.url,
      `mutation { requestStudyRun(input: { name: "s", model: "openai-community/gpt2", layer: 3 }) { id status kind params } }`,
      {},
      token,
    );
    assert.equal(requested.requestStudyRun.status, "QUEUED");
    assert.equal(requested.requestStudyRun.kind, "study");
    assert.deepEqual(requested.requestStudyRun.params, {
      name: "s",
      model: "openai-community/gpt2",
      layer: 3,
      tokens: 20000,
      dSae: 256,
      nfmK: 16,
    });
    const id = requested.requestStudyRun.id;
    const cancelled = await data<{ cancelRun: { status: string } }>(
      server.url,
      "mutation($id: ID!) { cancelRun(id: $id) { status } }",
      { id },
      token,
    );
    assert.equal(cancelled.cancelRun.status, "CANCELLED");
    const listed = await data<{ runs: { id: string; status: string }[]; run: { progress: number } }>(
      server.url,
      "query($id: ID!) { runs(first: 5) { id status } run(id: $id) { progress } }",
      { id },
    );
    assert.deepEqual(listed.runs[0], { id, status: "CANCELLED" });
    const bad = await gql(
      server.url,
      `mutation { requestStudyRun(input: { name: " ", model: "openai-community/gpt2", layer: 3 }) { id } }`,
      {},
      token,
    );
    assert.match(bad.errors?.[0]?.message ?? "", /input\.name is empty/);
    const missing = await gql(
      server.url,
      `mutation { cancelRun(id: "00000000-0000-0000-0000-000000000000") { id } }`,
      {},
      token,
    );
    assert.match(missing.errors?.[0]?.message ?? "", /No run has id/);
  });
});

test("healthz answers 503 when the database does not answer", async () => {
  const unreachable = postgres({ host: "127.0.0.1", port: 1, connect_timeout: 1, max: 1, onnotice: () => {} });
  const server = await startServer({ config: testServerConfig(), sql: unreachable, port: 0 });
  try {
    const response = await fetch(server.url.replace("/graphql", "/healthz"));
    assert.equal(response.status, 503);
  } finally {
    await server.close();
    await unreachable.end({ timeout: 1 });
  }
});
