/**
 * report.json as one type. Its model sections and gains are derived from the evidence tables, so a model or gain added
 * there is a key here. Older reports are read through upgradeReport.
 */
import type { NfmSpliceMetrics } from "../eval/nfm-splice.js";
import type { SaeMetrics } from "../sae/evaluate.js";
import type { Estimate } from "../stats/bootstrap.js";
import type { GainName, MODELS, ModelGroup } from "./evidence-tables.js";
import type { JointArmReport, JointStudyReport } from "./interaction/joint-study.js";
import type { StudySettings } from "./options.js";

/** The layout version this code writes. Reports without `report_version` predate it. */
export const REPORT_VERSION = 2;

/** How a model was fitted: exactly (normal equations), stopped early on validation, or ended on its step budget
 *  (not converged). */
export const FIT_STATUSES = ["closed_form", "early_stopped", "budget_exhausted"] as const;
export type FitStatus = (typeof FIT_STATUSES)[number];

/** How well a model was fitted (first seed for epochs, lr, ridge and the curve; budget_exhausted if any seed was). */
export interface ModelFit {
  fit: FitStatus;
  /** Epochs over the training rows until the run ended (null for a closed-form fit). */
  epochs: number | null;
  /** The learning rate chosen on validation from the study's grid (null for a closed-form fit). */
  lr: number | null;
  /** λ of ‖F̃β − R‖² + λ‖β‖² summed over the training rows, raw codes, unpenalised intercept (closed form only). */
  ridge: number | null;
  /** ER on the training and on the validation rows of the fitted model (null in reports older than version 2). */
  train_er: number | null;
  val_er: number | null;
  /** Validation ER along the fit: `at` is the epoch for trained models, λ for closed-form fits. */
  curve: { at: number; val_er: number }[];
}

export interface ModelReport extends ModelFit {
  /** ER of the seed-averaged held-out errors (= mean ER over seeds). */
  er: number;
  ci95: [number, number];
  seeds: { seed: number; er: number }[];
  parameters: number;
}

export interface ResidualSaeReport extends ModelReport {
  /** λ of the main run (the one `er` and `seeds` describe). */
  l1: number;
  /** The same recipe at other λ values (first seed). */
  by_l1: { l1: number; er: number; ci95: [number, number]; l0: number }[];
}

type ModelEntryOf<G extends ModelGroup> = Extract<(typeof MODELS)[number], { group: G }>;

/** A model's report, or the residual SAE's; null when the study did not fit it (the residual SAE skipped, or a model
 *  added after the report's version). */
type FitOf<E extends (typeof MODELS)[number]> = E["fitting"]["by"] extends "residual_sae"
  ? ResidualSaeReport | null
  : ModelReport | null;

/** `nfm` or `controls`: every model of the group by its name. */
export type ModelSection<G extends ModelGroup> = { [E in ModelEntryOf<G> as E["name"]]: FitOf<E> };

/** Every gain by its name; null when the report's version did not measure it. */
export type GainSection = Record<GainName, Estimate | null>;

export interface Verdict {
  beats_all_controls: boolean;
  sentence: string;
}

export interface ReportProvenance {
  model: string;
  hook: string;
  tokens: number;
  /** held_out_windows is null in reports written before the windows were counted. */
  rows: {
    train: number;
    /** null in reports written before the validation rows were split off. */
    validation: number | null;
    held_out: number;
    held_out_windows: number | null;
    split_mode: string;
  };
  /** The study's settings (reports of older versions lack settings added since). */
  configs: Partial<StudySettings>;
  seeds: number[];
  /** The compute engine the study ran on (onnxruntime, tensorflow or wasm; older reports: the tfjs backend). */
  backend: string;
  /** "trained", or the SAE folder the study was given. */
  sae_source: string;
  sae_training: Record<string, unknown> | null;
  package_version: string;
  git_commit: string | null;
  /** ISO 8601. */
  created_at: string;
  seconds: number;
  /** Wall seconds of each stage in the order run (null in reports written before stages were timed). */
  stage_seconds: Record<string, number> | null;
}

/** The SAE's metrics on the held-out rows, named as SAELens (without the per-latent densities). */
export type ReportSae = Omit<SaeMetrics, "rows" | "feature_density"> & { held_out_rows: number };

/** A joint arm with its after-fine-tuning figures also flat, for readers of the file. */
export interface JointReportArm extends JointArmReport {
  explained_variance: number;
  ci95: [number, number];
  l0: number;
  sae_part_explained_variance: number;
}

export interface JointFinetuneReport extends Omit<JointStudyReport, "arms"> {
  arms: JointReportArm[];
}

export interface ReportTopPair {
  a: number;
  b: number;
  strength: number;
  co_activations: number | null;
  /** The features' top examples, the most active token in ⟦brackets⟧. */
  examples_a: string[];
  examples_b: string[];
}

export interface StudyReport extends GainSection {
  report_version: typeof REPORT_VERSION;
  name: string;
  provenance: ReportProvenance;
  sae: ReportSae;
  /** null when the study measured no CE loss. */
  ce_loss: NfmSpliceMetrics | null;
  controls: ModelSection<"controls">;
  nfm: ModelSection<"nfm">;
  verdict: Verdict;
  /** Every model of the report ended closed-form or early-stopped (false in reports older than version 2). */
  converged: boolean;
  /** The separate joint fine-tuning mode, null when it was off. */
  joint_finetune: JointFinetuneReport | null;
  warnings: string[];
  top_pairs: ReportTopPair[];
}
