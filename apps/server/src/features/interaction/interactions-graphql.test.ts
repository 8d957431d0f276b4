import assert from "node:assert/strict";
import { before, test } from "node:test";
import { graphql } from "graphql";
import { migrate } from "../../db/migrate.js";
import { buildGraphQLSchema } from "../../graphql/schema.js";
import { countingSql } from "../../testing/counting-sql.js";
import { SAMPLE_K, sampleEmbedding, sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { testContext } from "../../testing/test-server.js";
import { insertPairExplanation } from "../explanation/explanation.repository.js";
import { saveStudy } from "../study/study.repository.js";

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

const PAIR = `
  query Pair($id: ID!, $a: Int!, $b: Int!) {
    study(id: $id) {
      interaction(a: $a, b: $b) {
        a { index } b { index } strength contribution contributionRows coActivations lift supported share stored
        replication { seeds overlap strengths }
        examples(first: 5) { tokens aValues bValues contribution }
        kDimensions(first: 2) { index load aLoading bLoading }
      }
    }
  }`;

interface Pair {
  a: { index: number };
  b: { index: number };
  strength: number;
  contribution: number | null;
  coActivations: number | null;
  lift: number | null;
  supported: boolean | null;
  stored: boolean;
  replication: { seeds: number; overlap: number; strengths: number[] } | null;
  examples: { tokens: string[]; aValues: number[]; bValues: number[]; contribution: number }[];
  kDimensions: { index: number; load: number; aLoading: number; bLoading: number }[];
}

describeOnEachDatabase("interactions over GraphQL", (database) => {
  const input = sampleStudy({ name: "pairs", features: 30, inspection: true });
  const big = sampleStudy({ name: "map", features: 2048, inspection: true });
  let id = "";
  let bigId = "";

  before(async () => {
    await migrate(database().sql);
    id = await saveStudy(database().sql, input);
    bigId = await saveStudy(database().sql, big);
  });

  async function run<T>(source: string, variables: Record<string, unknown>) {
    const counting = countingSql(database().sql);
    const result = await graphql({
      schema: await buildGraphQLSchema(),
      source,
      variableValues: variables,
      contextValue: testContext(counting.sql, "interactions-test", "reads need no token"),
    });
    const plain = JSON.parse(JSON.stringify(result)) as { data?: T; errors?: readonly { message: string }[] };
    return { result: plain, statements: counting.statements() };
  }

  test("a stored pair reads back in either order with its measurements, examples and K dimensions", async () => {
    const want = input.interactions[0]!;
    for (const [a, b] of [
      [want.a, want.b],
      [want.b, want.a],
    ]) {
      const { result } = await run<{ study: { interaction: Pair } }>(PAIR, { id, a, b });
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const pair = result.data!.study.interaction;
      assert.equal(pair.stored, true);
      assert.deepEqual([pair.a.index, pair.b.index], [want.a, want.b]);
      close(pair.strength, want.strength, "strength");
      close(pair.contribution!, want.contribution!, "contribution");
      assert.equal(pair.supported, true);
      assert.equal(pair.coActivations, want.coActivations);
      assert.equal(pair.replication!.seeds, want.replicatedSeeds);
      close(pair.replication!.overlap, want.replicatedSeeds! / 3, "overlap");
      assert.deepEqual(
        pair.examples.map((e) => e.tokens),
        want.examples!.map((e) => e.tokens),
      );
      const va = sampleEmbedding(want.a);
      const vb = sampleEmbedding(want.b);
      const loads = va.map((x, k) => x * vb[k]!);
      const top = loads.map((_, k) => k).sort((x, y) => Math.abs(loads[y]!) - Math.abs(loads[x]!));
      assert.deepEqual(
        pair.kDimensions.map((d) => d.index),
        top.slice(0, 2),
      );
    }
  });

  test("a pair's explanations read back, newest first, whichever order the pair is asked in", async () => {
    const want = input.interactions[0]!;
    for (const text of ["They fire together on budget figures.", "<b>not markup</b> stored as received"]) {
      await insertPairExplanation(database().sql, {
        studyId: id,
        a: want.a,
        b: want.b,
        text,
        model: "claude-test",
        promptVersion: "explain-pair-v1",
        runId: null,
        inputTokens: 10,
        outputTokens: 5,
      });
    }
    const query = `query ($id: ID!, $a: Int!, $b: Int!) {
      study(id: $id) { interaction(a: $a, b: $b) { explanations { text model promptVersion } } }
    }`;
    const { result } = await run<{ study: { interaction: { explanations: { text: string; model: string }[] } } }>(
      query,
      { id, a: want.b, b: want.a },
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(
      result.data!.study.interaction.explanations.map((e) => e.text),
      ["<b>not markup</b> stored as received", "They fire together on budget figures."],
    );
  });

  test("an unstored pair gets its strength from the embeddings and null measurements", async () => {
    const { result } = await run<{ study: { interaction: Pair } }>(PAIR, { id, a: 40, b: 6 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const pair = result.data!.study.interaction;
    assert.equal(pair.stored, false);
    assert.deepEqual([pair.a.index, pair.b.index], [6, 40]);
    close(pair.strength, dot(sampleEmbedding(6), sampleEmbedding(40)), "strength");
    assert.equal(pair.contribution, null);
    assert.equal(pair.supported, null);
    assert.deepEqual(pair.examples, []);
    assert.equal(pair.kDimensions.length, 2);
  });

  test("bad pairs are errors naming the argument", async () => {
    const same = await run(PAIR, { id, a: 4, b: 4 });
    assert.match(same.result.errors?.[0]?.message ?? "", /a and b are both 4/);
    const missing = await run(PAIR, { id, a: 3, b: 4 });
    assert.match(missing.result.errors?.[0]?.message ?? "", /a: this study has no feature 3/);
  });

  test("interactions list supported pairs first, by |strength|, contribution or lift, and pages", async () => {
    const source = `query L($id: ID!, $order: InteractionOrder!, $only: Boolean!, $after: String) {
      study(id: $id) { interactions(first: 7, orderBy: $order, supportedOnly: $only, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { a { index } b { index } strength contribution lift supported } } } } }`;
    type Page = {
      study: {
        interactions: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: { node: Pair }[];
        };
      };
    };
    const all: Pair[] = [];
    let after: string | null = null;
    do {
      const variables: Record<string, unknown> = { id, order: "STRENGTH", only: false, after };
      const { result } = await run<Page>(source, variables);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const page: Page["study"]["interactions"] = result.data!.study.interactions;
      assert.equal(page.totalCount, input.interactions.length);
      all.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    assert.equal(all.length, input.interactions.length);
    const firstUnsupported = all.findIndex((p) => p.supported === false);
    assert.ok(firstUnsupported > 0 && all.slice(firstUnsupported).every((p) => p.supported === false));
    for (const part of [all.slice(0, firstUnsupported), all.slice(firstUnsupported)]) {
      for (let i = 1; i < part.length; i++) assert.ok(Math.abs(part[i - 1]!.strength) >= Math.abs(part[i]!.strength));
    }
    for (const [order, field] of [
      ["CONTRIBUTION", "contribution"],
      ["LIFT", "lift"],
    ] as const) {
      const { result } = await run<Page>(source, { id, order, only: true, after: null });
      const nodes = result.data!.study.interactions.edges.map((e) => e.node);
      assert.ok(nodes.every((p) => p.supported === true));
      for (let i = 1; i < nodes.length; i++) assert.ok(nodes[i - 1]![field]! >= nodes[i]![field]!, order);
    }
    const bad = await run(source, { id, order: "STRENGTH", only: false, after: "nonsense" });
    assert.match(bad.result.errors?.[0]?.message ?? "", /after is not a cursor/);
  });

  test("K dimensions, the NFM summary and a feature's embedding read back", async () => {
    const source = `query K($id: ID!) { study(id: $id) {
      nfm { k variant er cooccurrence { spearman pairs }
        replication { top seeds { seed spearman overlap } supportedSeeds { seed spearman overlap } } }
      kDimensions(first: 10, orderBy: VARIANCE_EXPLAINED) { totalCount edges { node {
        index l0 gini effectiveRank varianceExplained
        topFeatures(first: 3) { feature { index } loading } topPairs(first: 2) { a { index } b { index } } } } }
      kDimension(index: 2) { index l0 }
    } feature(studyId: $id, index: 6) { embedding { values } topKDimensions(first: 2) { index loading } } }`;
    const { result, statements } = await run<{
      study: {
        nfm: { k: number; variant: string; replication: { seeds: unknown[]; supportedSeeds: { spearman: number }[] } };
        kDimensions: {
          totalCount: number;
          edges: {
            node: {
              index: number;
              varianceExplained: number;
              topFeatures: { feature: { index: number }; loading: number }[];
              topPairs: unknown[];
            };
          }[];
        };
        kDimension: { index: number };
      };
      feature: { embedding: { values: number[] }; topKDimensions: { index: number; loading: number }[] };
    }>(source, { id });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const study = result.data!.study;
    assert.equal(study.nfm.k, 16);
    assert.equal(study.nfm.variant, "full");
    assert.equal(study.nfm.replication.seeds.length, 3);
    assert.equal(study.nfm.replication.supportedSeeds[1]!.spearman, 0.7);
    assert.equal(study.kDimensions.totalCount, SAMPLE_K);
    const nodes = study.kDimensions.edges.map((e) => e.node);
    assert.deepEqual(
      nodes.map((n) => n.index),
      [0, 1, 2, 3],
    );
    const want = input.inspection!.dimensions[0]!;
    assert.deepEqual(
      nodes[0]!.topFeatures.map((t) => [t.feature.index, t.loading]),
      want.topFeatures.slice(0, 3).map((t) => [t.feature, t.loading]),
    );
    assert.equal(nodes[0]!.topPairs.length, 2);
    assert.equal(study.kDimension.index, 2);
    const v = sampleEmbedding(6);
    assert.deepEqual(result.data!.feature.embedding.values, v);
    const order = v.map((_, k) => k).sort((x, y) => Math.abs(v[y]!) - Math.abs(v[x]!));
    assert.deepEqual(
      result.data!.feature.topKDimensions.map((d) => d.index),
      order.slice(0, 2),
    );
    assert.ok(statements <= 10, `${statements} statements`);
  });

  test("the map of a 2,048-feature study is symmetric, matches the pairs' strengths and takes two statements", async () => {
    const source = `query M($id: ID!, $n: Int!) { study(id: $id) {
      interactionMap(features: $n) { features { index } strengths } } }`;
    const { result, statements } = await run<{
      study: { interactionMap: { features: { index: number }[]; strengths: number[][] } };
    }>(source, { id: bigId, n: 200 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const map = result.data!.study.interactionMap;
    assert.equal(map.features.length, 200);
    assert.equal(statements, 2, "the study, then one statement for the map");
    const mass = new Map(big.inspection!.embeddings.map((e) => [e.index, e.mass]));
    const masses = map.features.map((f) => mass.get(f.index)!);
    for (let i = 1; i < masses.length; i++) assert.ok(masses[i - 1]! >= masses[i]!);
    const heaviest = [...mass.values()].sort((x, y) => y - x)[0]!;
    assert.equal(masses[0], heaviest);
    map.strengths.forEach((row, i) => {
      assert.equal(row[i], 0);
      row.forEach((s, j) => {
        assert.equal(s, map.strengths[j]![i]);
        if (i !== j)
          close(s, dot(sampleEmbedding(map.features[i]!.index), sampleEmbedding(map.features[j]!.index)), "map");
      });
    });
    const [a, b] = [map.features[0]!.index, map.features[1]!.index];
    const pair = await run<{ study: { interaction: Pair } }>(PAIR, { id: bigId, a, b });
    close(pair.result.data!.study.interaction.strength, map.strengths[0]![1]!, "map = InteractionPair.strength");
    const tooMany = await run(source, { id: bigId, n: 5000 });
    assert.match(tooMany.result.errors?.[0]?.message ?? "", /features must be a whole number between 2 and 200/);
  });
});
