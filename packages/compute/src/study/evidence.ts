/**
 * The study's evidence without the numerics (nothing here loads TensorFlow.js): the evidence tables, the report type,
 * reading a stored report of any version, and report.md.
 */
export { fitOf, gainSection, type ModelTableEntry, modelSections } from "./evidence-sections.js";
export {
  GAINS,
  type GainEntry,
  type GainName,
  JOINT_ARM_ROLES,
  JOINT_COMPARISONS,
  type JointArmRole,
  type JointComparisonEntry,
  type JointComparisonName,
  MODEL_GROUPS,
  MODELS,
  type ModelEntry,
  type ModelFitting,
  type ModelGroup,
  type ModelName,
  REMOVED_IN_VERSION_2,
  type ResidualModelName,
} from "./evidence-tables.js";
export { ReportShapeError } from "./json-check.js";
export { renderReportMarkdown } from "./report-markdown.js";
export type * from "./report-types.js";
export { FIT_STATUSES, REPORT_VERSION } from "./report-types.js";
export { upgradeReport } from "./report-upgrade.js";
