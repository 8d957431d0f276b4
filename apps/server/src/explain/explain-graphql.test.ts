import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { migrate } from "../db/migrate.js";
import { saveStudy } from "../features/study/study.repository.js";
import { type RunningServer, startServer } from "../http/server.js";
import { runExecutor } from "../studies/run-executor.js";
import { type ClaudeStub, startClaudeStub } from "../testing/claude-stub.js";
import { cannedExplanation, honestScorer, promptKind } from "../testing/claude-stub-answers.js";
import { explainStudy } from "../testing/explain-study.js";
import { data, gql } from "../testing/graphql-request.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { testServerConfig, testToken } from "../testing/test-server.js";
import { runNextJob } from "../worker/worker.js";

const EXPLAIN = `mutation($studyId: ID!, $indices: [Int!], $top: Int, $scorers: [ExplainScorer!], $tokenBudget: Int) {
  explainFeatures(studyId: $studyId, indices: $indices, top: $top, scorers: $scorers, tokenBudget: $tokenBudget) {
    id kind status } }`;

const EXPLAINED = `query($studyId: ID!, $index: Int!) { feature(studyId: $studyId, index: $index) {
  explanations { text model promptVersion seed scores { kind value n truePositives trueNegatives } createdAt } } }`;

const SEARCH = `query($id: ID!, $search: String) { study(id: $id) {
  features(first: 50, search: $search) { totalCount edges { node { index } } }
  explanationBaselines { kind value n featureIndex explanationFeatureIndex } } }`;

interface Explained {
  feature: {
    explanations: {
      text: string;
      model: string;
      promptVersion: string;
      seed: number;
      scores: { kind: string; value: number; n: number; truePositives: number; trueNegatives: number }[];
    }[];
  };
}

describeOnEachDatabase("explainFeatures over GraphQL, run by a worker", (database) => {
  let stub: ClaudeStub;
  let server: RunningServer;
  let unconfigured: RunningServer;
  let studyId = "";
  let token = "";
  const config = () =>
    testServerConfig({
      explain: {
        ...testServerConfig().explain,
        apiKey: "sk-graphql-test",
        baseURL: stub.url,
        model: "claude-graphql-test",
        maxFeatures: 3,
      },
    });

  before(async () => {
    const { sql } = database();
    await migrate(sql);
    studyId = await saveStudy(sql, explainStudy({ name: "graphql explain" }));
    token = await testToken(sql, "analyst");
    stub = await startClaudeStub((request) => ({
      text: promptKind(request.prompt) === "explain" ? cannedExplanation(request.prompt) : honestScorer(request.prompt),
    }));
    server = await startServer({ config: config(), sql, port: 0 });
    unconfigured = await startServer({ config: testServerConfig(), sql, port: 0 });
  });

  after(async () => {
    await server?.close();
    await unconfigured?.close();
    await stub?.close();
  });

  const runCount = async () => {
    const [row] = await database().sql<{ n: number }[]>`select count(*)::int as n from runs`;
    return row?.n ?? 0;
  };

  test("refused before anything is queued or called: no token, no key, too many features, bad scorer", async () => {
    const runs = await runCount();
    const noToken = await gql(server.url, EXPLAIN, { studyId, top: 1 });
    assert.equal(noToken.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    const noKey = await gql(unconfigured.url, EXPLAIN, { studyId, top: 1 }, token);
    assert.equal(noKey.errors?.[0]?.extensions?.code, "NOT_CONFIGURED");
    assert.match(noKey.errors?.[0]?.message ?? "", /not configured: set ANTHROPIC_API_KEY/);
    const tooMany = await gql(server.url, EXPLAIN, { studyId, indices: [0, 2, 4, 6] }, token);
    assert.match(
      tooMany.errors?.[0]?.message ?? "",
      /indices lists 4 features; at most 3 .*INTERLACE_EXPLAIN_MAX_FEATURES/,
    );
    const both = await gql(server.url, EXPLAIN, { studyId, indices: [0], top: 2 }, token);
    assert.match(both.errors?.[0]?.message ?? "", /give either indices or top/);
    const unknown = await gql(server.url, EXPLAIN, { studyId, indices: [1] }, token);
    assert.match(unknown.errors?.[0]?.message ?? "", /indices: the study has no feature 1/);
    const budget = await gql(server.url, EXPLAIN, { studyId, top: 1, tokenBudget: 10_000_000 }, token);
    assert.match(budget.errors?.[0]?.message ?? "", /tokenBudget must be a whole number between 1 and 2000000/);
    assert.equal(await runCount(), runs, "no run was queued");
    assert.equal(stub.requests.length, 0, "no call was made");
  });

  test("a queued explain run explains the densest features; explanations, scores and search read back", async () => {
    const { explainFeatures: run } = await data<{ explainFeatures: { id: string; kind: string; status: string } }>(
      server.url,
      EXPLAIN,
      { studyId, top: 2 },
      token,
    );
    assert.equal(run.kind, "explain");
    assert.equal(run.status, "QUEUED");
    const finished = await runNextJob({
      sql: database().sql,
      executor: runExecutor(database().sql, config()),
      workerId: "w",
    });
    assert.equal(finished?.id, run.id);
    assert.equal(finished?.status, "succeeded", finished?.error ?? "");
    assert.match(finished?.message ?? "", /explained 2 of 2 features/);
    const perFeature = await database().sql<{ featureIndex: number; status: string }[]>`
      select feature_index as "featureIndex", status from explain_run_features where run_id = ${run.id}
      order by feature_index`;
    // the densest two: features 6 and 8 (densities repeat in threes; ties go to the lower index)
    assert.deepEqual(
      perFeature.map((r) => [r.featureIndex, r.status]),
      [
        [6, "explained"],
        [8, "explained"],
      ],
    );
    const got = await data<Explained>(server.url, EXPLAINED, { studyId, index: 6 });
    const [explanation] = got.feature.explanations;
    assert.equal(explanation?.text, 'Fires on the word "fruit6".');
    assert.equal(explanation?.model, "claude-graphql-test");
    assert.equal(explanation?.promptVersion, "explain-v1");
    assert.deepEqual(
      explanation?.scores.map((s) => [s.kind, s.value, s.n, s.truePositives, s.trueNegatives]),
      [
        ["DETECTION", 1, 8, 4, 4],
        ["FUZZING", 1, 4, 2, 2],
      ],
    );
    const found = await data<{
      study: {
        features: { totalCount: number; edges: { node: { index: number } }[] };
        explanationBaselines: { kind: string; featureIndex: number; explanationFeatureIndex: number }[];
      };
    }>(server.url, SEARCH, { id: studyId, search: "fruit8" });
    assert.deepEqual(
      found.study.features.edges.map((e) => e.node.index),
      [8],
    );
    assert.equal(found.study.features.totalCount, 1);
    assert.deepEqual(
      found.study.explanationBaselines.map((b) => [b.kind, b.featureIndex, b.explanationFeatureIndex]),
      [
        ["DETECTION", 6, 8],
        ["FUZZING", 6, 8],
      ],
    );
    const words = await data<{ study: { features: { totalCount: number } } }>(server.url, SEARCH, {
      id: studyId,
      search: "fires word",
    });
    assert.equal(words.study.features.totalCount, 2, "English stemming: 'fires word' matches 'Fires on the word'");
    const none = await data<{ study: { features: { totalCount: number } } }>(server.url, SEARCH, {
      id: studyId,
      search: "banana",
    });
    assert.equal(none.study.features.totalCount, 0);
    const long = await gql(server.url, SEARCH, { id: studyId, search: "x".repeat(201) });
    assert.match(long.errors?.[0]?.message ?? "", /search is 201 characters long; use at most 200/);
  });
  test("a run that reaches its token budget stops, fails saying so, and records each feature's outcome", async () => {
    const { explainFeatures: run } = await data<{ explainFeatures: { id: string } }>(
      server.url,
      EXPLAIN,
      { studyId, indices: [0, 2, 4], tokenBudget: 1 },
      token,
    );
    const before = stub.requests.length;
    const finished = await runNextJob({
      sql: database().sql,
      executor: runExecutor(database().sql, { ...config(), explain: { ...config().explain, concurrency: 1 } }),
      workerId: "w",
    });
    assert.equal(finished?.status, "failed");
    assert.match(
      finished?.error ?? "",
      /explained 1 of 3 features, 2 skipped, .*stopped: the run's token budget is spent/,
    );
    assert.equal(stub.requests.length - before, 1, "one call, then the budget was spent");
    const outcomes = await data<{
      run: { featureOutcomes: { featureIndex: number; status: string; message: string | null; tokens: number }[] };
    }>(server.url, `query($id: ID!) { run(id: $id) { featureOutcomes { featureIndex status message tokens } } }`, {
      id: run.id,
    });
    assert.deepEqual(
      outcomes.run.featureOutcomes.map((r) => [r.featureIndex, r.status, r.tokens > 0]),
      [
        [0, "explained", true],
        [2, "skipped", false],
        [4, "skipped", false],
      ],
    );
    assert.match(outcomes.run.featureOutcomes[1]?.message ?? "", /token budget is spent/);
  });
});
