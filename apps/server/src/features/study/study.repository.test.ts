import assert from "node:assert/strict";
import { before, test } from "node:test";
import { migrate } from "../../db/migrate.js";
import { sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { countFeatures, findFeature, listExamples, pageFeatures } from "../feature/feature.repository.js";
import { countPartners, pagePartners, topInteractions } from "../interaction/interaction.repository.js";
import { findStudy, listStudies, saveStudy } from "./study.repository.js";
import { InvalidStudyResultError } from "./study-result.validation.js";

/** Example values are stored as float4. */
function assertCloseAll(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, i) => {
    assert.ok(Math.abs(value - (expected[i] ?? Number.NaN)) < 1e-6, `${value} ≈ ${expected[i]}`);
  });
}

describeOnEachDatabase("study repository", (database) => {
  before(async () => {
    await migrate(database().sql);
  });

  test("a saved study reads back whole", async () => {
    const { sql } = database();
    const input = sampleStudy({ name: "round trip" });
    const id = await saveStudy(sql, input);
    const study = await findStudy(sql, id);
    assert.ok(study);
    assert.equal(study.name, "round trip");
    assert.equal(study.model, input.model);
    assert.equal(study.modelType, "gpt2");
    assert.equal(study.hook, input.hook);
    assert.deepEqual(study.metrics, input.metrics);
    assert.deepEqual(study.report, input.report);
    assert.ok(study.createdAt instanceof Date);

    assert.equal(await countFeatures(sql, id), input.features.length);
    const feature = await findFeature(sql, id, 4);
    assert.deepEqual(feature, {
      studyId: id,
      index: 4,
      density: 0.001,
      maxActivation: input.features[2]?.maxActivation,
      meanActivation: input.featureData[2]?.meanActivation,
      interactionStrength: Math.max(
        ...input.interactions.filter((pair) => pair.a === 4 || pair.b === 4).map((pair) => pair.strength),
      ),
    });
    const examples = await listExamples(sql, [{ studyId: id, index: 4 }], 10);
    const expected = input.features[2]?.examples ?? [];
    assert.equal(examples.length, expected.length);
    examples.forEach((example, rank) => {
      const want = expected[rank];
      assert.ok(want);
      assert.equal(example.rank, rank);
      assert.deepEqual(example.tokens, want.tokens);
      assertCloseAll([...example.values, example.maxValue], [...want.values, want.maxValue]);
    });
    assert.deepEqual(await listExamples(sql, [{ studyId: id, index: 4 }], 2).then((rows) => rows.length), 2);

    const top = await topInteractions(sql, id, 1000);
    assert.equal(top.length, input.interactions.length);
    const strongest = Math.max(...input.interactions.map((pair) => pair.strength));
    assert.equal(top[0]?.strength, strongest);
    const stored = top.find((pair) => pair.a.index === 0 && pair.b.index === 2);
    assert.equal(stored?.coActivations, 10);
    assert.equal(stored?.b.density, 0.001);
  });

  test("studies list newest first", async () => {
    const { sql } = database();
    const older = await saveStudy(sql, sampleStudy({ name: "older" }));
    const newer = await saveStudy(sql, sampleStudy({ name: "newer" }));
    const ids = (await listStudies(sql, { limit: 500 })).map((study) => study.id);
    assert.ok(ids.indexOf(newer) < ids.indexOf(older));
  });

  test("feature pages in every order walk all features once, in order", async () => {
    const { sql } = database();
    const input = sampleStudy({ features: 11 });
    const id = await saveStudy(sql, input);
    const orders = [
      { column: "index", direction: "asc" },
      { column: "density", direction: "desc" },
      { column: "density", direction: "asc" },
      { column: "max_activation", direction: "desc" },
      { column: "max_activation", direction: "asc" },
    ] as const;
    for (const order of orders) {
      const seen: number[] = [];
      let after: [number, number] | undefined;
      for (;;) {
        const page = await pageFeatures(sql, { studyId: id, order, limit: 4, after });
        seen.push(...page.map((row) => row.index));
        const last = page.at(-1);
        if (!last || page.length < 4) break;
        const value =
          order.column === "index" ? last.index : order.column === "density" ? last.density : last.maxActivation;
        after = [value, last.index];
      }
      const key = (f: (typeof input.features)[number]) =>
        order.column === "index" ? f.index : order.column === "density" ? f.density : f.maxActivation;
      const expected = [...input.features]
        .sort((x, y) => (order.direction === "asc" ? key(x) - key(y) : key(y) - key(x)) || x.index - y.index)
        .map((f) => f.index);
      assert.deepEqual(seen, expected, `${order.column} ${order.direction}`);
    }
  });

  test("partner pages list each pair of a feature once, strongest first, with the other end", async () => {
    const { sql } = database();
    const input = sampleStudy({ features: 9 });
    const id = await saveStudy(sql, input);
    const expected = input.interactions
      .filter((pair) => pair.a === 0 || pair.b === 0)
      .map((pair) => ({ partner: pair.a === 0 ? pair.b : pair.a, strength: pair.strength }))
      .sort((x, y) => y.strength - x.strength || x.partner - y.partner);
    assert.equal(await countPartners(sql, id, 0), expected.length);
    const seen: { partner: number; strength: number }[] = [];
    let after: [number, number] | undefined;
    for (;;) {
      const page = await pagePartners(sql, { studyId: id, featureIndex: 0, limit: 3, after });
      for (const row of page) {
        assert.ok(row.a.index === 0 || row.b.index === 0);
        seen.push({ partner: row.partnerIndex, strength: row.strength });
      }
      const last = page.at(-1);
      if (!last || page.length < 3) break;
      after = [last.strength, last.partnerIndex];
    }
    assert.deepEqual(seen, expected);
  });

  test("an invalid study is refused before anything is written", async () => {
    const { sql } = database();
    const before = (await listStudies(sql, { limit: 500 })).length;
    const input = sampleStudy({ name: "broken" });
    input.interactions.push({ a: 0, b: 999, strength: 1, coActivations: 1 });
    await assert.rejects(saveStudy(sql, input), (error: unknown) => {
      assert.ok(error instanceof InvalidStudyResultError);
      assert.match(error.message, /feature 999, which is not among the study's features/);
      return true;
    });
    assert.equal((await listStudies(sql, { limit: 500 })).length, before);
  });

  test("feature data whose example has fewer tokens than values is refused, naming the feature and example", async () => {
    const { sql } = database();
    const before = (await listStudies(sql, { limit: 500 })).length;
    const input = sampleStudy({ name: "short context" });
    const feature = input.featureData[1]!;
    const example = feature.examples[0]!;
    example.tokens = example.tokens.slice(0, -1);
    await assert.rejects(saveStudy(sql, input), (error: unknown) => {
      assert.ok(error instanceof InvalidStudyResultError);
      assert.ok(
        error.message.includes(
          `feature data of ${feature.index}: top example 0 has ${example.tokens.length} tokens but ${example.values.length} values`,
        ),
        error.message,
      );
      return true;
    });
    assert.equal((await listStudies(sql, { limit: 500 })).length, before);
  });

  test("a database error mid-save leaves no partial study", async () => {
    const { sql } = database();
    const before = (await listStudies(sql, { limit: 500 })).length;
    const input = sampleStudy({ name: "rolled back" });
    const feature = input.features[1];
    assert.ok(feature);
    feature.density = Number.MIN_VALUE;
    feature.examples[0] = { tokens: ["a"], values: [1], maxValue: 3e40 };
    await assert.rejects(saveStudy(sql, input));
    assert.equal((await listStudies(sql, { limit: 500 })).length, before);
  });

  test("a study's NFM inspection is checked before anything is written", async () => {
    const { sql } = database();
    const before = (await listStudies(sql, { limit: 500 })).length;
    const input = sampleStudy({ name: "bad embedding", inspection: true });
    input.inspection!.embeddings[2]!.values[1] = Number.NaN;
    await assert.rejects(saveStudy(sql, input), /embedding of feature 4 value is NaN/);
    const short = sampleStudy({ name: "short embedding", inspection: true });
    short.inspection!.embeddings[0]!.values.pop();
    await assert.rejects(saveStudy(sql, short), /embedding of feature 0 has 3 values; K is 4/);
    assert.equal((await listStudies(sql, { limit: 500 })).length, before);
  });

  test("a database error in the interaction tables leaves no partial study", async () => {
    const { sql } = database();
    const before = (await listStudies(sql, { limit: 500 })).length;
    const input = sampleStudy({ name: "pair example overflow", inspection: true });
    input.interactions[0]!.examples![0]!.contribution = 3e40;
    await assert.rejects(saveStudy(sql, input));
    assert.equal((await listStudies(sql, { limit: 500 })).length, before);
    const [orphans] = await sql<{ n: number }[]>`
      select (select count(*) from feature_embeddings e where not exists (select 1 from studies s where s.id = e.study_id))
           + (select count(*) from k_dimensions k where not exists (select 1 from studies s where s.id = k.study_id))
      as n`;
    assert.equal(Number(orphans!.n), 0);
  });
});
