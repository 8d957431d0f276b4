/** Reads a stored report.json of any version as the current StudyReport. */
import { type Check, ReportShapeError, record } from "./json-check.js";
import { checkReport } from "./report-check.js";
import { REPORT_VERSION, type StudyReport } from "./report-types.js";

/**
 * Reports without `report_version` predate it: they gain the members added since, as what they mean for such a study
 * (no CE loss measured, no joint mode run, no warnings given, held-out windows not counted).
 */
const fromUnversioned: Check<Record<string, unknown>> = (value, path) => {
  const report = record(value, path);
  const provenance = record(report["provenance"], `${path}.provenance`);
  const rows = record(provenance["rows"], `${path}.provenance.rows`);
  return {
    ce_loss: null,
    joint_finetune: null,
    warnings: [],
    ...report,
    report_version: REPORT_VERSION,
    provenance: { ...provenance, rows: { held_out_windows: null, ...rows } },
  };
};

/**
 * The one way to read a report.json that was stored or written earlier: upgrades an older layout to the current one,
 * then checks every member against StudyReport. Throws a ReportShapeError naming the first member that does not fit.
 */
export function upgradeReport(json: unknown): StudyReport {
  const path = "report.json";
  const version =
    typeof json === "object" && json !== null ? (json as Record<string, unknown>)["report_version"] : null;
  if (typeof version === "number" && version > REPORT_VERSION) {
    throw new ReportShapeError(
      `${path} has report_version ${version}, newer than this Interlace reads (${REPORT_VERSION}); update Interlace to read it.`,
    );
  }
  try {
    return checkReport(version === undefined ? fromUnversioned(json, path) : json, path);
  } catch (error) {
    if (!(error instanceof ReportShapeError)) throw error;
    throw new ReportShapeError(
      `Cannot read a study report: ${error.message} It is damaged or not a study's report.json; run the study again to write a complete one.`,
    );
  }
}
