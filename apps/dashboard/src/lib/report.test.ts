import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStudyReport, type StudyReport } from "./report";

const model = (er: number, ci95: [number, number] = [er - 0.01, er + 0.01]) => ({
  er,
  ci95,
  seeds: [
    { seed: 0, er: er - 0.002 },
    { seed: 1, er: er + 0.002 },
  ],
  parameters: 1000,
});
const estimate = (value: number, ci95: [number, number]) => ({ value, ci95 });

/** A report.json as a study writes it, trimmed to the sections the page reads. */
function sampleReport(): Record<string, unknown> {
  return {
    name: "sample",
    provenance: {
      model: "gpt2",
      hook: "blocks.3.hook_resid_post",
      tokens: 4999,
      seeds: [0, 1, 2],
      backend: "wasm",
      package_version: "0.1.0",
      git_commit: null,
      seconds: 41.5,
      configs: { dSae: 256, l1: 3 },
    },
    ce_loss: {
      tokens: 127,
      ce_loss_without_sae: 4.29,
      ce_loss_with_sae: 4.65,
      ce_loss_with_sae_nfm: 4.57,
      ce_loss_score_sae: 0.954,
      ce_loss_score_sae_nfm: 0.964,
      ce_gap_recovered_by_nfm: 0.21,
    },
    controls: {
      residual_sae: {
        ...model(0.58),
        l1: 3,
        by_l1: [
          { l1: 9, er: 0.05, ci95: [0.04, 0.06], l0: 36 },
          { l1: 1, er: 0.77, ci95: [0.76, 0.78], l0: 121 },
          { l1: 3, er: 0.58, ci95: [0.57, 0.59], l0: 95 },
        ],
      },
      linear_f: model(0.24),
      linear_x: model(0.63),
      mlp_matched: model(0.09),
      linear_x_mlp_matched: model(0.64),
      permutation_null: {
        er: -0.007,
        ci95: [-0.012, -0.002],
        seeds: [
          { seed: 0, er: -0.009 },
          { seed: 1, er: -0.005 },
        ],
        parameters: 1000,
      },
    },
    nfm: { full: model(0.26), interaction_only: model(0.03), linear_x_interaction: model(0.66) },
    interaction_gain: estimate(0.02, [0.01, 0.03]),
    interaction_gain_over_x: estimate(-0.004, [-0.008, -0.001]),
    interaction_specificity: estimate(0.001, [-0.002, 0.004]),
    full_over_null: estimate(0.27, [0.25, 0.29]),
    full_over_mlp_matched: estimate(0.15, [0.14, 0.16]),
    verdict: { beats_all_controls: false, sentence: "The full NFM explains 26% of the SAE error." },
    joint_finetune: null,
    warnings: ["Only 1 held-out context windows."],
  };
}

function parsed(json: unknown): StudyReport {
  const report = parseStudyReport(json);
  assert.ok(report, "an object parses to a report");
  return report;
}

test("a complete report yields every model, gain and section", () => {
  const report = parsed(sampleReport());
  assert.deepEqual(report.verdict, {
    beatsAllControls: false,
    sentence: "The full NFM explains 26% of the SAE error.",
  });
  assert.deepEqual(report.warnings, ["Only 1 held-out context windows."]);
  assert.deepEqual(
    report.models.map((row) => `${row.group}:${row.key}`),
    [
      "nfm:full",
      "nfm:interaction_only",
      "nfm:linear_x_interaction",
      "controls:linear_f",
      "controls:linear_x",
      "controls:mlp_matched",
      "controls:linear_x_mlp_matched",
      "controls:residual_sae",
      "controls:permutation_null",
    ],
  );
  const nullRow = report.models.find((row) => row.key === "permutation_null");
  assert.deepEqual(nullRow?.result, {
    er: -0.007,
    ci95: [-0.012, -0.002],
    seeds: [
      { seed: 0, er: -0.009 },
      { seed: 1, er: -0.005 },
    ],
    parameters: 1000,
  });
  assert.equal(report.ceLoss?.gapRecoveredByNfm, 0.21);
  assert.equal(report.ceLoss?.tokens, 127);
  assert.equal(report.joint, null);
});

test("each gain says which side of zero its CI lies on", () => {
  const gains = Object.fromEntries(parsed(sampleReport()).gains.map((gain) => [gain.key, gain.zeroSide]));
  assert.deepEqual(gains, {
    interaction_gain: "above",
    interaction_gain_over_x: "below",
    interaction_specificity: "includes",
    full_over_null: "above",
    full_over_mlp_matched: "above",
  });
  for (const gain of parsed(sampleReport()).gains) assert.match(gain.compares, /ER\(.+\) − ER\(.+\): /);
});

test("the residual SAE sweep is ordered by λ and names the main λ", () => {
  const sweep = parsed(sampleReport()).residualSaeSweep;
  assert.equal(sweep?.mainL1, 3);
  assert.deepEqual(
    sweep?.rows.map((row) => row.l1),
    [1, 3, 9],
  );
  assert.deepEqual(sweep?.rows[0], { l1: 1, er: 0.77, ci95: [0.76, 0.78], l0: 121 });
});

test("provenance becomes labelled facts, skipping empty ones, with the settings kept", () => {
  const provenance = parsed(sampleReport()).provenance;
  const facts = Object.fromEntries(provenance?.facts.map((fact) => [fact.key, fact.value]) ?? []);
  assert.equal(facts["model"], "gpt2");
  assert.equal(facts["tokens"], "4,999");
  assert.equal(facts["seeds"], "0, 1, 2");
  assert.equal("git_commit" in facts, false, "a null commit is left out");
  assert.deepEqual(provenance?.configs, { dSae: 256, l1: 3 });
});

test("anything that is not a report object parses to null, without throwing", () => {
  for (const input of [null, undefined, 42, "not json", "[1, 2]", [], true]) {
    assert.equal(parseStudyReport(input), null, `input ${JSON.stringify(input)}`);
  }
  assert.equal(parseStudyReport(JSON.stringify(sampleReport()))?.verdict?.beatsAllControls, false);
});

test("an older report without the newer sections shows what it has and leaves the rest null", () => {
  const report = parsed({
    nfm: { full: model(0.2) },
    controls: { linear_f: model(0.18) },
    interaction_gain: estimate(0.02, [0.01, 0.03]),
  });
  assert.equal(report.verdict, null);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.ceLoss, null);
  assert.equal(report.residualSaeSweep, null);
  assert.equal(report.joint, null);
  assert.equal(report.provenance, null);
  const present = report.models.filter((row) => row.result !== null).map((row) => row.key);
  assert.deepEqual(present, ["full", "linear_f"]);
  assert.equal(report.models.length, 9, "missing models stay as rows without a result");
  assert.deepEqual(
    report.gains.filter((gain) => gain.estimate !== null).map((gain) => gain.key),
    ["interaction_gain"],
  );
});

test("malformed entries become null one by one instead of spoiling the report", () => {
  const report = parsed({
    ...sampleReport(),
    verdict: { beats_all_controls: "maybe", sentence: 7 },
    warnings: ["a real warning", 3, null, ""],
    nfm: "garbage",
    controls: {
      ...(sampleReport()["controls"] as object),
      linear_f: { er: "0.2", ci95: [0, 1] },
      linear_x: { er: Number.NaN },
      mlp_matched: { er: 0.1, ci95: [0.2], seeds: [{ seed: 0 }, "x", { seed: 1, er: 0.1 }], parameters: "many" },
      permutation_null: { er: 0.001, ci95: [0.004, -0.002] },
      residual_sae: null,
    },
    interaction_gain: { value: 0.1, ci95: "wide" },
    interaction_gain_over_x: [0.1, 0.2],
    ce_loss: { tokens: 10 },
    provenance: "unknown",
  });
  assert.equal(report.verdict, null);
  assert.deepEqual(report.warnings, ["a real warning"]);
  const results = Object.fromEntries(report.models.map((row) => [row.key, row.result]));
  assert.equal(results["full"], null);
  assert.equal(results["linear_f"], null);
  assert.equal(results["linear_x"], null);
  assert.equal(results["residual_sae"], null);
  assert.deepEqual(results["mlp_matched"], {
    er: 0.1,
    ci95: null,
    seeds: [{ seed: 1, er: 0.1 }],
    parameters: null,
  });
  assert.deepEqual(results["permutation_null"]?.ci95, [-0.002, 0.004], "a reversed interval is put in order");
  const gains = Object.fromEntries(report.gains.map((gain) => [gain.key, gain]));
  assert.deepEqual(gains["interaction_gain"]?.estimate, { value: 0.1, ci95: null });
  assert.equal(gains["interaction_gain"]?.zeroSide, null);
  assert.equal(gains["interaction_gain_over_x"]?.estimate, null);
  assert.equal(report.ceLoss, null, "a CE section without any loss is as good as none");
  assert.equal(report.residualSaeSweep, null);
  assert.equal(report.provenance, null);
});

test("a verdict with only a sentence keeps the sentence and leaves yes/no unknown", () => {
  const report = parsed({ verdict: { sentence: "Inconclusive." } });
  assert.deepEqual(report.verdict, { beatsAllControls: null, sentence: "Inconclusive." });
});
