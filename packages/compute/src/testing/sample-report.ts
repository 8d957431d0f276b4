/**
 * A complete, deterministic report.json for tests of the readers (server, report.md): every model and gain of the
 * evidence tables, each gain the difference of its two models' ER, every CI around its value.
 */
import type { Estimate } from "../stats/bootstrap.js";
import { gainSection, modelSections } from "../study/evidence-sections.js";
import {
  GAINS,
  JOINT_COMPARISONS,
  type JointArmRole,
  type JointComparisonName,
  MODELS,
} from "../study/evidence-tables.js";
import { presetSettings } from "../study/options.js";
import {
  type JointFinetuneReport,
  type JointReportArm,
  type ModelReport,
  REPORT_VERSION,
  type StudyReport,
} from "../study/report-types.js";

export interface SampleReportOptions {
  name?: string;
  /** Include the residual-SAE control (default true; false writes null, as a study that skipped it). */
  residualSae?: boolean;
  /** Include the joint fine-tuning mode (default false). */
  joint?: boolean;
}

const around = (value: number, half: number): Estimate => ({ value, ci95: [value - half, value + half] });

function modelReport(entry: (typeof MODELS)[number], er: number, index: number): ModelReport {
  const closedForm = entry.fitting.by === "closed_form";
  const epochs = Array.from({ length: 8 }, (_, i) => i / 2);
  return {
    fit: closedForm ? "closed_form" : index === 1 ? "budget_exhausted" : "early_stopped",
    epochs: closedForm ? null : 3.5,
    lr: closedForm ? null : 1e-3,
    ridge: closedForm ? 0.25 : null,
    train_er: er + 0.02,
    val_er: er + 0.005,
    curve: closedForm
      ? [0.025, 0.25, 2.5].map((at, i) => ({ at, val_er: er + 0.005 - 0.002 * Math.abs(i - 1) }))
      : epochs.map((at) => ({ at, val_er: er + 0.005 - 0.01 / (1 + at) })),
    er,
    ci95: [er - 0.01, er + 0.012],
    seeds: [
      { seed: 0, er: er - 0.002 },
      { seed: 1, er: er + 0.002 },
    ],
    parameters: 1000 + 10 * index,
  };
}

/** The ER the sample gives a model: near 0 for a model trained on shuffled targets, distinct for each other one. */
function sampleEr(entry: (typeof MODELS)[number], index: number): number {
  const shuffled = entry.fitting.by === "residual_model" && entry.fitting.permuteTargets;
  return shuffled ? -0.004 : 0.05 + 0.07 * index;
}

function jointArm(name: string, role: JointArmRole, ev: number): JointReportArm {
  const before = { ev: ev - 0.02, ci95: [ev - 0.03, ev - 0.01] as [number, number], l0: 40 };
  const after = { ev, ci95: [ev - 0.01, ev + 0.01] as [number, number], l0: 42 };
  const evaluation = (e: typeof before) => ({ ...e, sae_ev: e.ev - 0.1, sae_ci95: e.ci95, mean_decoder_norm: 1 });
  return {
    name,
    role,
    head_parameters: role === "sae_alone" ? 0 : 5000,
    stop_reason: "completed",
    steps: 30,
    before: evaluation(before),
    after: evaluation(after),
    ev_change: around(0.02, 0.005),
    l0_change: 2,
    explained_variance: after.ev,
    ci95: after.ci95,
    l0: after.l0,
    sae_part_explained_variance: after.ev - 0.1,
  };
}

function sampleJoint(): JointFinetuneReport {
  const arms = [
    jointArm("sae_alone", "sae_alone", 0.8),
    jointArm("sae_nfm", "nfm", 0.86),
    jointArm("sae_linear_f", "linear", 0.85),
    jointArm("sae_mlp_matched", "mlp", 0.84),
  ];
  const comparisons = JOINT_COMPARISONS.map((comparison) => {
    const [a, b] = [comparison.a, comparison.b].map((role) => arms.find((arm) => arm.role === role)!);
    return [comparison.name, { ...around(a!.after.ev - b!.after.ev, 0.004), arms: [a!.name, b!.name] }];
  });
  return {
    label: "Joint fine-tuning of the SAE with each head (sample).",
    input_scale: 1.5,
    steps: 30,
    lr: 1e-4,
    l1: 3,
    train_rows: 900,
    held_out_rows: 100,
    arms,
    ...(Object.fromEntries(comparisons) as Pick<JointFinetuneReport, JointComparisonName>),
    sentence: "Fine-tuned jointly, SAE + NFM explains 86.00% of the variance of x (sample).",
  };
}

export function sampleReport(options: SampleReportOptions = {}): StudyReport {
  const ers = new Map(MODELS.map((entry, i) => [entry.name as string, sampleEr(entry, i)]));
  const er = (name: string) => ers.get(name) ?? Number.NaN;
  const sections = modelSections((entry) => {
    const index = MODELS.indexOf(entry);
    const fit = modelReport(entry, er(entry.name), index);
    if (entry.fitting.by !== "residual_sae") return fit;
    if (options.residualSae === false) return null;
    const byL1 = [1, 3, 9].map((l1) => {
      const { value, ci95 } = around(fit.er + (3 - l1) / 100, 0.01);
      return { l1, er: value, ci95, l0: 120 - 9 * l1 };
    });
    return { ...fit, l1: 3, by_l1: byL1 };
  });
  const gains = gainSection((gain) => around(er(gain.a) - er(gain.b), 0.015));
  const beats = GAINS.every((gain) => !gain.verdict || (gains[gain.name]?.ci95[0] ?? 0) > 0);
  const settings = presetSettings("tiny");
  return {
    report_version: REPORT_VERSION,
    name: options.name ?? "sample study",
    provenance: {
      model: "sotu-gpt2-6l",
      hook: "blocks.3.hook_resid_post",
      tokens: 20_000,
      rows: { train: 16_200, validation: 1_800, held_out: 2_000, held_out_windows: 16, split_mode: "document" },
      configs: settings,
      seeds: settings.seeds,
      backend: "wasm",
      sae_source: "trained",
      sae_training: null,
      package_version: "0.1.0",
      git_commit: null,
      created_at: "2025-01-02T03:04:05.000Z",
      seconds: 41.5,
      stage_seconds: { harvest: 6.1, sae: 12.4, interactions: 20.2, feature_data: 2.8 },
    },
    sae: {
      l0: 23.5,
      l1: 40.1,
      mse: 0.012,
      explained_variance: 0.91,
      cossim: 0.95,
      l2_ratio: 0.97,
      dead_fraction: 0.1,
      dense_fraction: 0,
      log10_density_histogram: { edges: [-3, -2, -1], counts: [10, 20] },
      held_out_rows: 2_000,
    },
    ce_loss: {
      tokens: 1016,
      ce_loss_without_sae: 4.29,
      ce_loss_with_sae: 4.65,
      ce_loss_with_sae_nfm: 4.57,
      ce_loss_with_ablation: 11.2,
      ce_loss_score_sae: 0.954,
      ce_loss_score_sae_nfm: 0.964,
      ce_gap_recovered_by_nfm: 0.21,
      kl_div_with_sae: 0.4,
      kl_div_with_sae_nfm: 0.31,
    },
    ...sections,
    ...gains,
    verdict: {
      beats_all_controls: beats,
      sentence: `The full NFM explains ${(100 * er("full")).toFixed(2)}% of the SAE error on held-out rows (sample).`,
    },
    converged: false,
    joint_finetune: options.joint ? sampleJoint() : null,
    warnings: [
      "Only 16 held-out context windows: the cluster-bootstrap CIs resample windows and are too narrow to trust; harvest more tokens.",
    ],
    top_pairs: [
      { a: 0, b: 2, strength: 0.8, co_activations: 10, examples_a: ["The ⟦union⟧"], examples_b: ["a ⟦state⟧"] },
      { a: 2, b: 4, strength: -0.5, co_activations: null, examples_a: [], examples_b: [] },
    ],
  };
}
