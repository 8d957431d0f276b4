import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleReport } from "../testing/sample-report.js";
import { GAINS, MODELS } from "./evidence-tables.js";
import { ReportShapeError } from "./json-check.js";
import { REPORT_VERSION } from "./report-types.js";
import { upgradeReport } from "./report-upgrade.js";

/** The report as it comes back from a file or the database. */
const stored = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

test("a current report reads back unchanged, with and without its optional sections", () => {
  for (const report of [sampleReport({ joint: true }), sampleReport({ residualSae: false })]) {
    assert.deepEqual(upgradeReport(stored(report)), report);
  }
});

const FIT_KEYS = ["fit", "epochs", "lr", "ridge", "train_er", "val_er", "curve"];

/** A report as version 1 wrote it: its own models and gains, no fits, no validation rows, no convergence flag. */
function version1Report(): Record<string, unknown> {
  const report = stored(sampleReport());
  const strip = (model: unknown) => {
    if (model === null) return null;
    const copy = { ...(model as Record<string, unknown>) };
    for (const key of FIT_KEYS) delete copy[key];
    return copy;
  };
  const nfm = report["nfm"] as Record<string, unknown>;
  const controls = report["controls"] as Record<string, unknown>;
  report["nfm"] = {
    full: strip(nfm["full"]),
    interaction_only: strip(nfm["interaction_only"]),
    linear_x_interaction: strip(nfm["full"]),
  };
  report["controls"] = {
    linear_f: strip(controls["linear_f"]),
    linear_x: strip(controls["linear_x"]),
    mlp_matched: strip(controls["mlp_matched"]),
    linear_x_mlp_matched: strip(controls["mlp_matched"]),
    residual_sae: strip(controls["residual_sae"]),
    permutation_null: strip(controls["permutation_null"]),
  };
  const gain = { value: 0.01, ci95: [0, 0.02] };
  Object.assign(report, { interaction_gain_over_x: gain, interaction_specificity: gain, full_over_mlp_matched: gain });
  delete report["nonlinear_error_gain"];
  delete report["converged"];
  delete (report["provenance"] as { rows: Record<string, unknown> }).rows["validation"];
  report["report_version"] = 1;
  return report;
}

test("a version-1 report reads as version 2: the models and gains whose definitions stand, marked as not converged", () => {
  const old = version1Report();
  const upgraded = upgradeReport(old);
  assert.equal(upgraded.report_version, REPORT_VERSION);
  assert.equal(upgraded.converged, false);
  assert.equal(upgraded.provenance.rows.validation, null);
  const oldNfm = old["nfm"] as Record<string, { er: number }>;
  assert.equal(upgraded.nfm.full!.er, oldNfm["full"]!.er);
  assert.equal(upgraded.nfm.full!.fit, "budget_exhausted");
  assert.deepEqual(upgraded.nfm.full!.curve, []);
  assert.equal(upgraded.nfm.full_nl, null);
  assert.equal(upgraded.controls.linear_f_nl, null);
  assert.equal(upgraded.controls.mlp_matched, null, "version 1's mlp_matched was another model");
  assert.equal(upgraded.controls.residual_sae!.by_l1.length, 3);
  assert.deepEqual(upgraded.interaction_gain, (old["interaction_gain"] as object) ?? null);
  assert.equal(upgraded.interaction_specificity, null, "version 1's specificity compared models that saw x");
  assert.equal(upgraded.nonlinear_error_gain, null);
  assert.ok(!("linear_x_interaction" in upgraded.nfm));
  assert.match(upgraded.warnings.at(-1)!, /report version 1: every model ran a fixed step budget/);
  assert.equal(upgraded.verdict.sentence, (old["verdict"] as { sentence: string }).sentence);
});

test("a report from before report_version gains the sections added since, as what they mean for it", () => {
  const old = version1Report();
  for (const key of ["report_version", "ce_loss", "joint_finetune", "warnings"]) delete old[key];
  delete (old["provenance"] as { rows: Record<string, unknown> }).rows["held_out_windows"];
  const upgraded = upgradeReport(old);
  assert.equal(upgraded.report_version, REPORT_VERSION);
  assert.equal(upgraded.ce_loss, null);
  assert.equal(upgraded.joint_finetune, null);
  assert.equal(upgraded.warnings.length, 1);
  assert.equal(upgraded.provenance.rows.held_out_windows, null);
  assert.equal(upgraded.nfm.interaction_only!.er, sampleReport().nfm.interaction_only!.er);
});

test("a report missing a model or gain of the tables is refused, naming the member", () => {
  const lastModel = MODELS.at(-1)!;
  const withoutModel = stored(sampleReport());
  delete (withoutModel[lastModel.group] as Record<string, unknown>)[lastModel.name];
  assert.throws(
    () => upgradeReport(withoutModel),
    (error: unknown) =>
      error instanceof ReportShapeError &&
      error.message.includes(`report.json.${lastModel.group}.${lastModel.name} is missing`) &&
      error.message.includes("run the study again"),
  );
  const lastGain = GAINS.at(-1)!;
  const withoutGain = stored(sampleReport());
  delete withoutGain[lastGain.name];
  assert.throws(() => upgradeReport(withoutGain), new RegExp(`report\\.json\\.${lastGain.name} is missing`));
});

test("malformed members and unknown versions are refused with what to do", () => {
  const badCi = stored(sampleReport());
  (badCi["nfm"] as { full: { ci95: unknown } }).full.ci95 = [0.3, 0.1];
  assert.throws(() => upgradeReport(badCi), /report\.json\.nfm\.full\.ci95 is an array; expected a \[lo, hi\] pair/);
  assert.throws(() => upgradeReport("not a report"), /report\.json is string "not a report"; expected an object/);
  assert.throws(
    () => upgradeReport({ ...stored(sampleReport()), report_version: REPORT_VERSION + 1 }),
    /newer than this Interlace reads .*; update Interlace/,
  );
  assert.throws(() => upgradeReport({ ...stored(sampleReport()), report_version: 0 }), /report_version is number 0/);
});
