/** Reads a stored report.json of any version as the current StudyReport. */
import { GAINS, type GainName, MODEL_GROUPS, MODELS, type ModelName } from "./evidence-tables.js";
import { type Check, ReportShapeError, record } from "./json-check.js";
import { checkReport } from "./report-check.js";
import { type ModelFit, REPORT_VERSION, type StudyReport } from "./report-types.js";

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
    report_version: 1,
    provenance: { ...provenance, rows: { held_out_windows: null, ...rows } },
  };
};

/** Version-1 models whose definition version 2 keeps (v1's mlp_matched was an MLP on f alone: another model). */
const KEPT_FROM_VERSION_1: readonly ModelName[] = [
  "full",
  "interaction_only",
  "linear_f",
  "linear_x",
  "residual_sae",
  "permutation_null",
];

/** Version-1 gains whose definition version 2 keeps (v1's interaction_specificity compared models that saw x). */
const GAINS_KEPT_FROM_VERSION_1: readonly GainName[] = ["interaction_gain", "full_over_null"];

/** Every version-1 model ran a fixed step budget at one learning rate, with no validation rows. */
const VERSION_1_FIT: ModelFit = {
  fit: "budget_exhausted",
  epochs: null,
  lr: null,
  ridge: null,
  train_er: null,
  val_er: null,
  curve: [],
};

/**
 * Version 1 → 2: the models and gains whose definitions stand are kept, each marked as fitted on a fixed budget; the
 * ill-posed ones (models that saw x next to a flexible path on f) and those version 1 did not fit are null.
 */
const fromVersion1: Check<Record<string, unknown>> = (value, path) => {
  const report = record(value, path);
  const provenance = record(report["provenance"], `${path}.provenance`);
  const rows = record(provenance["rows"], `${path}.provenance.rows`);
  const sections = Object.fromEntries(
    MODEL_GROUPS.map((group) => {
      const section = record(report[group], `${path}.${group}`);
      const entries = MODELS.filter((entry) => entry.group === group).map((entry) => {
        const kept = KEPT_FROM_VERSION_1.includes(entry.name) ? section[entry.name] : null;
        return [entry.name, kept ? { ...record(kept, `${path}.${group}.${entry.name}`), ...VERSION_1_FIT } : null];
      });
      return [group, Object.fromEntries(entries)];
    }),
  );
  const gains = Object.fromEntries(
    GAINS.map(({ name }) => [name, GAINS_KEPT_FROM_VERSION_1.includes(name) ? report[name] : null]),
  );
  const warnings = Array.isArray(report["warnings"]) ? report["warnings"] : [];
  return {
    ...report,
    ...sections,
    ...gains,
    report_version: 2,
    converged: false,
    provenance: { ...provenance, rows: { validation: null, ...rows } },
    warnings: [
      ...warnings,
      "Written by report version 1: every model ran a fixed step budget at one learning rate (none is known to have converged), and its comparisons that let x enter a model of the error are not shown (they were ill-posed).",
    ],
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
    const v1 = version === undefined ? fromUnversioned(json, path) : json;
    return checkReport(version === undefined || version === 1 ? fromVersion1(v1, path) : v1, path);
  } catch (error) {
    if (!(error instanceof ReportShapeError)) throw error;
    throw new ReportShapeError(
      `Cannot read a study report: ${error.message} It is damaged or not a study's report.json; run the study again to write a complete one.`,
    );
  }
}
