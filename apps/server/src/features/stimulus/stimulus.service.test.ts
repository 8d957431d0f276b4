import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { demoDesign } from "@interlace/compute/stimulus";
import { writeFixtureStimulusStudy } from "@interlace/compute/testing";
import { graphql } from "graphql";
import { migrate } from "../../db/migrate.js";
import { buildGraphQLSchema } from "../../graphql/schema.js";
import { stimulusExecutor } from "../../studies/stimulus.js";
import { sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { testContext, testServerConfig } from "../../testing/test-server.js";
import { claimNextRun, completeRun, findRun } from "../run/run.repository.js";
import { saveStudy } from "../study/study.repository.js";

const folder = mkdtempSync(join(tmpdir(), "interlace-stimulus-study-"));
after(() => rmSync(folder, { recursive: true, force: true }));
writeFixtureStimulusStudy(folder);

const START = `mutation ($input: StartStimulusAnalysisInput!) {
  startStimulusAnalysis(input: $input) { id status measure anovaType cells { a b n mean ci95 } }
}`;
const READ = `query ($id: ID!) {
  stimulusAnalysis(id: $id) {
    id name status progress design measure anovaType
    cells { a b n mean ci95 } anova { term F p partialEta2 } contrast { value ci95 pPermutation }
    discovered { kind index effect value p q } chart
  }
}`;
const LIST = `query ($id: ID!) { study(id: $id) { stimulusAnalyses { id status name } } }`;

type Errors = readonly { message: string; extensions?: { code?: string } }[];

describeOnEachDatabase("stimulus analyses", (database) => {
  let studyId = "";

  async function run<T>(source: string, variables: Record<string, unknown>) {
    const result = await graphql({
      schema: await buildGraphQLSchema(),
      source,
      variableValues: variables,
      contextValue: testContext(database().sql, "stimulus-test", "the guard is tested elsewhere"),
    });
    return JSON.parse(JSON.stringify(result)) as { data?: T; errors?: Errors };
  }

  const count = async () => {
    const [row] = await database().sql<{ analyses: number; runs: number }[]>`
      select (select count(*)::int from stimulus_analyses) as analyses, (select count(*)::int from runs) as runs`;
    return row;
  };

  before(async () => {
    await migrate(database().sql);
    studyId = await saveStudy(database().sql, sampleStudy({ name: "stimulus study" }), { dir: folder });
  });

  test("refused requests name the field and store nothing", async () => {
    const design = demoDesign();
    const short = { ...design, prompts: { ...design.prompts, a0b1: design.prompts.a0b1.slice(0, 2) } };
    const empty = { ...design, prompts: { ...design.prompts, a1b1: [...design.prompts.a1b1.slice(0, 5), ""] } };
    const long = { ...design, prompts: { ...design.prompts, a0b0: ["war ".repeat(300), ...design.prompts.a0b0] } };
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { studyId, design: short },
        /input\.design\.prompts\.a0b1: cell \(place no place, topic war\) has 2 prompts; give at least 5/,
      ],
      [{ studyId, design: empty }, /input\.design\.prompts\.a1b1\[5\]: is empty/],
      [
        { studyId, design: long },
        /input\.design\.prompts\.a0b0\[0\]: has \d+ tokens, more than the study's context of 128/,
      ],
      [
        { studyId, design: { ...design, targets: [1024] } },
        /input\.design\.targets\[0\]: feature 1024 is out of range/,
      ],
      [{ studyId, design, measure: "feature:5000" }, /input\.measure: measure feature:5000 is out of range/],
      [{ studyId, design, anovaType: 4 }, /input\.anovaType must be 2 or 3/],
      [{ studyId: "00000000-0000-4000-8000-000000000000", design }, /input\.studyId: there is no study/],
      [{ studyId: "not-an-id", design }, /input\.studyId "not-an-id" is not a study id/],
    ];
    for (const [input, message] of cases) {
      const result = await run(START, { input });
      assert.match(result.errors?.[0]?.message ?? "", message, JSON.stringify(input).slice(0, 120));
    }
    assert.deepEqual(await count(), { analyses: 0, runs: 0 });
  });

  test("a started analysis is queued, run by the worker's executor, stored and listed on its study", async () => {
    const started = await run<{ startStimulusAnalysis: { id: string; status: string; cells: unknown[] } }>(START, {
      input: { studyId, design: demoDesign(), measure: "k_dim:1", anovaType: 3 },
    });
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    const analysis = started.data!.startStimulusAnalysis;
    assert.equal(analysis.status, "QUEUED");
    assert.deepEqual(analysis.cells, []);
    assert.deepEqual(await count(), { analyses: 1, runs: 1 });

    const claimed = await claimNextRun(database().sql, "test-worker");
    assert.equal(claimed?.kind, "stimulus");
    const progress: number[] = [];
    const outcome = await stimulusExecutor(database().sql, testServerConfig())(
      { id: claimed!.id, kind: claimed!.kind, params: claimed!.params, attempts: 1 },
      {
        reportProgress: async (p) => void progress.push(p),
        isCancelled: () => false,
        signal: new AbortController().signal,
      },
    );
    const finished = await completeRun(database().sql, claimed!.id, "test-worker", outcome.store);
    assert.equal(finished?.studyId, studyId);
    assert.equal((await findRun(database().sql, claimed!.id))?.status, "succeeded");
    assert.ok(progress.length > 0);

    type Read = {
      stimulusAnalysis: {
        status: string;
        progress: number;
        measure: string;
        anovaType: number;
        cells: { a: number; b: number; n: number; mean: number; ci95: number[] }[];
        anova: { term: string; F: number; p: number; partialEta2: number }[];
        contrast: { value: number; ci95: number[]; pPermutation: number };
        discovered: { kind: string; index: number; effect: string; p: number; q: number }[];
        chart: { values: unknown[]; chart: { measure: string }[]; pairs: unknown[] };
        design: { name: string };
      };
    };
    const read = await run<Read>(READ, { id: analysis.id });
    assert.equal(read.errors, undefined, JSON.stringify(read.errors));
    const stored = read.data!.stimulusAnalysis;
    assert.equal(stored.status, "SUCCEEDED");
    assert.equal(stored.progress, 1);
    assert.equal(stored.measure, "k_dim:1");
    assert.equal(stored.anovaType, 3);
    assert.equal(stored.design.name, demoDesign().name);
    assert.deepEqual(
      stored.cells.map((c) => [c.a, c.b, c.n]),
      [
        [0, 0, 6],
        [0, 1, 6],
        [1, 0, 6],
        [1, 1, 6],
      ],
    );
    assert.deepEqual(
      stored.anova.map((r) => r.term),
      ["a", "b", "ab"],
    );
    const [m00, m01, m10, m11] = stored.cells.map((c) => c.mean) as [number, number, number, number];
    assert.ok(Math.abs(stored.contrast.value - (m11 - m10 - m01 + m00)) < 1e-9);
    assert.ok(stored.contrast.pPermutation >= 1 / 10_001 && stored.contrast.pPermutation <= 1);
    assert.ok(stored.discovered.length > 0 && stored.discovered.every((d) => d.q >= d.p));
    assert.equal(stored.chart.values.length, 24);
    assert.ok(stored.chart.chart.some((c) => c.measure === "k_dim:1"));

    const listed = await run<{ study: { stimulusAnalyses: { id: string; status: string }[] } }>(LIST, { id: studyId });
    assert.deepEqual(listed.data?.study.stimulusAnalyses, [
      { id: analysis.id, status: "SUCCEEDED", name: demoDesign().name },
    ]);
  });
});
