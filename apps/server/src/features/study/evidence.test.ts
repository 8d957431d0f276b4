import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GAINS, JOINT_COMPARISONS, MODELS, type StudyReport } from "@interlace/compute/evidence";
import { migrate } from "../../db/migrate.js";
import type { Sql } from "../../db/sql.js";
import { type RunningServer, startServer } from "../../http/server.js";
import { data, gql } from "../../testing/graphql-request.js";
import { sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { testServerConfig } from "../../testing/test-server.js";
import { saveStudy } from "./study.repository.js";

const EVIDENCE = `query($id: ID!) { study(id: $id) { report evidence {
  verdict { beatsAllControls sentence }
  converged
  warnings
  models { name group description shuffledTargets er ci95 seeds { seed er } parameters
    descriptive fit epochs lr ridge trainEr valEr curve { at valEr } }
  gains { name value ci95 compares description }
  ceLoss { tokens ceLossWithoutSae ceLossWithSae ceLossWithSaeNfm ceLossWithAblation ceLossScoreSae ceLossScoreSaeNfm
    ceGapRecoveredByNfm klDivWithSae klDivWithSaeNfm }
  residualSaeByL1 { l1 er ci95 l0 main }
  jointFinetune { label sentence steps lr l1 inputScale trainRows heldOutRows
    arms { name role headParameters stopReason steps l0Change evChange { value ci95 }
      before { ev ci95 saeEv saeCi95 l0 meanDecoderNorm } after { ev ci95 saeEv saeCi95 l0 meanDecoderNorm } }
    comparisons { name value ci95 compares description } }
  provenance { model hook tokens seeds backend saeSource packageVersion gitCommit createdAt seconds configs }
} } }`;

interface Interval {
  ci95: number[] | null;
}
interface Evidence {
  verdict: { beatsAllControls: boolean; sentence: string };
  converged: boolean;
  warnings: string[];
  models: ({
    name: string;
    group: string;
    description: string;
    shuffledTargets: boolean;
    er: number;
    parameters: number;
    descriptive: boolean;
    fit: string;
    epochs: number | null;
    lr: number | null;
    ridge: number | null;
    trainEr: number | null;
    valEr: number | null;
    curve: { at: number; valEr: number }[];
  } & Interval)[];
  gains: ({ name: string; value: number; compares: string[]; description: string } & Interval)[];
  ceLoss: Record<string, number> | null;
  residualSaeByL1: ({ l1: number; er: number; l0: number; main: boolean } & Interval)[];
  jointFinetune: {
    steps: number;
    arms: { name: string; before: { ev: number } & Interval; after: { ev: number } & Interval }[];
    comparisons: ({ name: string; value: number | null; compares: string[]; description: string } & Interval)[];
  } | null;
  provenance: { model: string; seeds: number[]; configs: Record<string, unknown> };
}
type Answer = { study: { report: unknown; evidence: Evidence | null } };

function assertInside(value: number | null, ci95: number[] | null, what: string): void {
  assert.ok(value !== null && ci95, `${what} has a value and a CI`);
  const [lo, hi] = ci95;
  assert.ok(ci95.length === 2 && lo! <= value && value <= hi!, `${what}: ${value} outside [${ci95}]`);
}

describeOnEachDatabase("Study.evidence over GraphQL", (database) => {
  let server: RunningServer;
  let sql: Sql;

  before(async () => {
    sql = database().sql;
    await migrate(sql);
    server = await startServer({ config: testServerConfig(), sql, port: 0 });
  });

  after(async () => {
    await server?.close();
  });

  /** Stores a sample study, then replaces its report by `report` as stored JSON. */
  async function storeStudy(report?: (report: StudyReport) => unknown): Promise<{ id: string; input: StudyReport }> {
    const input = sampleStudy({ name: "evidence study", report: { joint: true } });
    const id = await saveStudy(sql, input);
    if (report)
      await sql`update studies set report = ${JSON.stringify(report(input.report))}::text::jsonb where id = ${id}`;
    return { id, input: input.report };
  }

  test("every model and gain of the tables, the verdict, CE loss, λ sweep, joint mode and provenance", async () => {
    const { id, input } = await storeStudy();
    const evidence = (await data<Answer>(server.url, EVIDENCE, { id })).study.evidence;
    assert.ok(evidence);
    assert.deepEqual(evidence.verdict, {
      beatsAllControls: input.verdict.beats_all_controls,
      sentence: input.verdict.sentence,
    });
    assert.deepEqual(evidence.warnings, input.warnings);

    assert.deepEqual(
      evidence.models.map((m) => [m.name, m.group, m.description]),
      MODELS.map((m) => [m.name, m.group.toUpperCase(), m.description]),
    );
    assert.deepEqual(
      evidence.models.filter((m) => m.shuffledTargets).map((m) => m.name),
      MODELS.filter((m) => m.fitting.by === "residual_model" && m.fitting.permuteTargets).map((m) => m.name),
    );
    const sections: Record<string, Record<string, unknown>> = { nfm: input.nfm, controls: input.controls };
    assert.equal(evidence.converged, input.converged);
    for (const model of MODELS) {
      const fit = sections[model.group]?.[model.name] as NonNullable<StudyReport["nfm"]["full"]>;
      const answered: Evidence["models"][number] | undefined = evidence.models.find((m) => m.name === model.name);
      assert.deepEqual([answered?.er, answered?.ci95, answered?.parameters], [fit.er, fit.ci95, fit.parameters]);
      assertInside(answered?.er ?? null, answered?.ci95 ?? null, `model ${model.name}`);
      assert.deepEqual(
        [answered?.descriptive, answered?.fit, answered?.epochs, answered?.lr, answered?.ridge],
        [model.descriptive, fit.fit.toUpperCase(), fit.epochs, fit.lr, fit.ridge],
      );
      assert.deepEqual([answered?.trainEr, answered?.valEr], [fit.train_er, fit.val_er]);
      assert.deepEqual(
        answered?.curve,
        fit.curve.map((p) => ({ at: p.at, valEr: p.val_er })),
      );
    }

    assert.deepEqual(
      evidence.gains.map((g) => [g.name, g.compares, g.description]),
      GAINS.map((g) => [g.name, [g.a, g.b], g.description]),
    );
    const er = new Map(evidence.models.map((m) => [m.name, m.er]));
    for (const gain of evidence.gains) {
      const [a, b] = gain.compares;
      assert.ok(Math.abs(gain.value - (er.get(a!)! - er.get(b!)!)) < 1e-12, `${gain.name} = ER(${a}) − ER(${b})`);
      assertInside(gain.value, gain.ci95, `gain ${gain.name}`);
    }

    assert.equal(evidence.ceLoss?.ceGapRecoveredByNfm, input.ce_loss?.ce_gap_recovered_by_nfm);
    assert.equal(evidence.ceLoss?.klDivWithSaeNfm, input.ce_loss?.kl_div_with_sae_nfm);
    assert.equal(Object.keys(evidence.ceLoss ?? {}).length, Object.keys(input.ce_loss ?? {}).length);

    const sweep = input.controls.residual_sae;
    assert.ok(sweep);
    assert.deepEqual(
      evidence.residualSaeByL1.map((run) => [run.l1, run.er, run.l0, run.main]),
      sweep.by_l1.map((run) => [run.l1, run.er, run.l0, run.l1 === sweep.l1]),
    );
    for (const run of evidence.residualSaeByL1) assertInside(run.er, run.ci95, `residual SAE λ=${run.l1}`);

    const joint = evidence.jointFinetune;
    assert.ok(joint);
    assert.equal(joint.steps, input.joint_finetune?.steps);
    assert.deepEqual(
      joint.arms.map((arm) => arm.name),
      input.joint_finetune?.arms.map((arm) => arm.name),
    );
    for (const arm of joint.arms) {
      assertInside(arm.before.ev, arm.before.ci95, `joint arm ${arm.name} before`);
      assertInside(arm.after.ev, arm.after.ci95, `joint arm ${arm.name} after`);
    }
    assert.deepEqual(
      joint.comparisons.map((c) => [c.name, c.compares, c.description]),
      JOINT_COMPARISONS.map((c) => [c.name, input.joint_finetune?.[c.name]?.arms, c.description]),
    );
    for (const comparison of joint.comparisons) assertInside(comparison.value, comparison.ci95, comparison.name);

    assert.equal(evidence.provenance.model, input.provenance.model);
    assert.deepEqual(evidence.provenance.seeds, input.provenance.seeds);
    assert.deepEqual(evidence.provenance.configs, input.provenance.configs);
  });

  test("a report from before report_version is read through the upgrade; report stays as stored", async () => {
    const { id, input } = await storeStudy((report) => {
      const { report_version: _v, ce_loss: _c, joint_finetune: _j, warnings: _w, ...old } = report;
      return old;
    });
    const { report, evidence } = (await data<Answer>(server.url, EVIDENCE, { id })).study;
    assert.equal((report as Record<string, unknown>)["report_version"], undefined, "the raw report is as stored");
    assert.ok(evidence);
    assert.equal(evidence.ceLoss, null);
    assert.equal(evidence.jointFinetune, null);
    assert.equal(evidence.converged, false);
    assert.equal(evidence.warnings.length, 1, "the version-1 note");
    // An unversioned report predates version 2: only the models whose definitions version 2 keeps are shown.
    assert.deepEqual(
      evidence.models.map((m) => m.name),
      ["full", "interaction_only", "linear_f", "linear_x", "residual_sae", "permutation_null"],
    );
    assert.ok(evidence.models.every((m) => m.fit === "BUDGET_EXHAUSTED" && m.curve.length === 0));
    assert.deepEqual(
      evidence.gains.map((g) => g.name),
      ["interaction_gain", "full_over_null"],
    );
    assert.equal(evidence.verdict.sentence, input.verdict.sentence);
  });

  test("a skipped control is left out; no report means no evidence; a damaged one names the member", async () => {
    const skipped = await storeStudy((report) => ({ ...report, controls: { ...report.controls, residual_sae: null } }));
    const evidence = (await data<Answer>(server.url, EVIDENCE, { id: skipped.id })).study.evidence;
    assert.deepEqual(
      evidence?.models.map((m) => m.name),
      MODELS.filter((m) => m.name !== "residual_sae").map((m) => m.name),
    );
    assert.deepEqual(evidence?.residualSaeByL1, []);

    const none = await storeStudy(() => null);
    assert.equal((await data<Answer>(server.url, EVIDENCE, { id: none.id })).study.evidence, null);

    const damaged = await storeStudy((report) => ({ ...report, nfm: { ...report.nfm, full: { er: 0.1 } } }));
    const answer = await gql<{ study: { name: string; evidence: null } }>(
      server.url,
      "query($id: ID!) { study(id: $id) { name evidence { warnings } } }",
      { id: damaged.id },
    );
    assert.equal(answer.data?.study.name, "evidence study");
    assert.equal(answer.data?.study.evidence, null);
    assert.match(answer.errors?.[0]?.message ?? "", /report\.json\.nfm\.full\.ci95 is missing; .* run the study again/);
  });
});
