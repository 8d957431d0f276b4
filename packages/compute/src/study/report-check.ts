/** Checks parsed JSON against StudyReport, member by member; the model sections and gains follow the tables. */
import type { NfmSpliceMetrics } from "../eval/nfm-splice.js";
import type { Estimate } from "../stats/bootstrap.js";
import { gainSection, modelSections } from "./evidence-sections.js";
import { JOINT_ARM_ROLES, JOINT_COMPARISONS, type JointComparisonName } from "./evidence-tables.js";
import type { JointArmReport, JointEvaluation } from "./interaction/joint-study.js";
import {
  arrayOf,
  boolean,
  type Check,
  fail,
  interval,
  nullable,
  number,
  numberRecord,
  object,
  oneOf,
  optional,
  pairOf,
  record,
  string,
} from "./json-check.js";
import {
  FIT_STATUSES,
  type JointFinetuneReport,
  type JointReportArm,
  type ModelReport,
  REPORT_VERSION,
  type ReportProvenance,
  type ReportSae,
  type ReportTopPair,
  type ResidualSaeReport,
  type StudyReport,
} from "./report-types.js";

const estimate: Check<Estimate> = object({ value: number, ci95: interval });

const modelFields = {
  er: number,
  ci95: interval,
  seeds: arrayOf(object({ seed: number, er: number })),
  parameters: number,
  fit: oneOf(FIT_STATUSES),
  epochs: nullable(number),
  lr: nullable(number),
  ridge: nullable(number),
  train_er: nullable(number),
  val_er: nullable(number),
  curve: arrayOf(object({ at: number, val_er: number })),
};
const modelReport: Check<ModelReport> = object(modelFields);
const residualSaeReport: Check<ResidualSaeReport> = object({
  ...modelFields,
  l1: number,
  by_l1: arrayOf(object({ l1: number, er: number, ci95: interval, l0: number })),
});

const provenance: Check<ReportProvenance> = object({
  model: string,
  hook: string,
  tokens: number,
  rows: object({
    train: number,
    validation: nullable(number),
    held_out: number,
    held_out_windows: nullable(number),
    split_mode: string,
  }),
  configs: record,
  seeds: arrayOf(number),
  backend: string,
  sae_source: string,
  sae_training: nullable(record),
  package_version: string,
  git_commit: nullable(string),
  created_at: string,
  seconds: number,
  stage_seconds: optional(numberRecord),
});

const sae: Check<ReportSae> = object({
  l0: number,
  l1: number,
  mse: number,
  explained_variance: number,
  cossim: number,
  l2_ratio: number,
  dead_fraction: number,
  dense_fraction: number,
  log10_density_histogram: object({ edges: arrayOf(number), counts: arrayOf(number) }),
  held_out_rows: number,
});

const ceLoss: Check<NfmSpliceMetrics> = object({
  tokens: number,
  ce_loss_without_sae: number,
  ce_loss_with_sae: number,
  ce_loss_with_sae_nfm: number,
  ce_loss_with_ablation: number,
  ce_loss_score_sae: number,
  ce_loss_score_sae_nfm: number,
  ce_gap_recovered_by_nfm: number,
  kl_div_with_sae: number,
  kl_div_with_sae_nfm: number,
});

const jointEvaluation: Check<JointEvaluation> = object({
  ev: number,
  ci95: interval,
  sae_ev: number,
  sae_ci95: interval,
  l0: number,
  mean_decoder_norm: number,
});

const jointArm: Check<JointReportArm> = object({
  name: string,
  role: oneOf(JOINT_ARM_ROLES),
  head_parameters: number,
  stop_reason: oneOf([
    "completed",
    "aborted",
    "non_finite",
    "early_stopped",
  ] as const satisfies JointArmReport["stop_reason"][]),
  steps: number,
  before: jointEvaluation,
  after: jointEvaluation,
  ev_change: estimate,
  l0_change: number,
  explained_variance: number,
  ci95: interval,
  l0: number,
  sae_part_explained_variance: number,
});

const jointComparison = nullable(object({ value: number, ci95: interval, arms: pairOf(string) }));

const jointComparisons = Object.fromEntries(JOINT_COMPARISONS.map(({ name }) => [name, jointComparison])) as Record<
  JointComparisonName,
  typeof jointComparison
>;

const jointFinetune: Check<JointFinetuneReport> = object({
  label: string,
  input_scale: number,
  steps: number,
  lr: number,
  l1: number,
  train_rows: number,
  held_out_rows: number,
  arms: arrayOf(jointArm),
  ...jointComparisons,
  sentence: string,
});

const topPair: Check<ReportTopPair> = object({
  a: number,
  b: number,
  strength: number,
  co_activations: nullable(number),
  examples_a: arrayOf(string),
  examples_b: arrayOf(string),
});

/** A report of the current version, checked member by member (`path` names it in errors). */
export const checkReport: Check<StudyReport> = (value, path) => {
  const input = record(value, path);
  if (input["report_version"] !== REPORT_VERSION) {
    fail(`${path}.report_version`, `${REPORT_VERSION}`, input["report_version"]);
  }
  const models = modelSections((entry) => {
    const at = `${path}.${entry.group}.${entry.name}`;
    const section = record(input[entry.group], `${path}.${entry.group}`);
    return entry.fitting.by === "residual_sae"
      ? nullable(residualSaeReport)(section[entry.name], at)
      : nullable(modelReport)(section[entry.name], at);
  });
  return {
    report_version: REPORT_VERSION,
    name: string(input["name"], `${path}.name`),
    provenance: provenance(input["provenance"], `${path}.provenance`),
    sae: sae(input["sae"], `${path}.sae`),
    ce_loss: nullable(ceLoss)(input["ce_loss"], `${path}.ce_loss`),
    controls: models.controls,
    nfm: models.nfm,
    ...gainSection((gain) => nullable(estimate)(input[gain.name], `${path}.${gain.name}`)),
    verdict: object({ beats_all_controls: boolean, sentence: string })(input["verdict"], `${path}.verdict`),
    converged: boolean(input["converged"], `${path}.converged`),
    joint_finetune: nullable(jointFinetune)(input["joint_finetune"], `${path}.joint_finetune`),
    warnings: arrayOf(string)(input["warnings"], `${path}.warnings`),
    top_pairs: arrayOf(topPair)(input["top_pairs"], `${path}.top_pairs`),
  };
};
