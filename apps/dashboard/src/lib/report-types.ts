// The display-ready shape of a study's report.json, as parseStudyReport returns it.
import type { Estimate, Interval, JsonRecord } from "./json-fields";
import type { ZeroSide } from "./report-gains";
import type { ModelGroup } from "./report-models";

export type { Estimate, Interval } from "./json-fields";

export interface Verdict {
  /** null when the report states a sentence but no yes/no. */
  beatsAllControls: boolean | null;
  sentence: string | null;
}

export interface ModelResult {
  er: number;
  ci95: Interval | null;
  seeds: { seed: number; er: number }[];
  parameters: number | null;
}

export interface ModelRow {
  group: ModelGroup;
  key: string;
  description: string;
  /** null: the model is not in this report (older study, skipped control or malformed entry). */
  result: ModelResult | null;
}

export interface GainRow {
  key: string;
  compares: string;
  estimate: Estimate | null;
  /** null without a CI. */
  zeroSide: ZeroSide | null;
}

export interface CeLoss {
  tokens: number | null;
  withoutSae: number | null;
  withSae: number | null;
  withSaeNfm: number | null;
  scoreSae: number | null;
  scoreSaeNfm: number | null;
  gapRecoveredByNfm: number | null;
}

export interface ResidualSaeSweep {
  /** λ of the main run, whose ER the table of models shows. */
  mainL1: number | null;
  rows: { l1: number; er: number; ci95: Interval | null; l0: number | null }[];
}

export interface JointArm {
  name: string;
  role: string | null;
  explainedVariance: number;
  ci95: Interval | null;
  l0: number | null;
  l0Change: number | null;
  saePartExplainedVariance: number | null;
}

export interface JointComparison {
  key: string;
  compares: string;
  /** null when the study could not compute it (an arm was missing). */
  estimate: Estimate | null;
  zeroSide: ZeroSide | null;
}

export interface JointFinetune {
  label: string | null;
  sentence: string | null;
  steps: number | null;
  arms: JointArm[];
  comparisons: JointComparison[];
}

export interface ProvenanceFact {
  key: string;
  label: string;
  value: string;
}

export interface Provenance {
  facts: ProvenanceFact[];
  configs: JsonRecord | null;
}

export interface StudyReport {
  verdict: Verdict | null;
  warnings: string[];
  models: ModelRow[];
  gains: GainRow[];
  ceLoss: CeLoss | null;
  residualSaeSweep: ResidualSaeSweep | null;
  joint: JointFinetune | null;
  provenance: Provenance | null;
}
