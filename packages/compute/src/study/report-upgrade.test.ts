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

test("a report from before report_version gains the sections added since, as what they mean for it", () => {
  const old = stored(sampleReport());
  for (const key of ["report_version", "ce_loss", "joint_finetune", "warnings"]) delete old[key];
  delete (old["provenance"] as { rows: Record<string, unknown> }).rows["held_out_windows"];
  const upgraded = upgradeReport(old);
  assert.equal(upgraded.report_version, REPORT_VERSION);
  assert.equal(upgraded.ce_loss, null);
  assert.equal(upgraded.joint_finetune, null);
  assert.deepEqual(upgraded.warnings, []);
  assert.equal(upgraded.provenance.rows.held_out_windows, null);
  assert.deepEqual(upgraded.nfm, sampleReport().nfm);
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
