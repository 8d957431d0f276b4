import {
  fitOf,
  GAINS,
  JOINT_COMPARISONS,
  type JointFinetuneReport,
  MODELS,
  type StudyReport,
  upgradeReport,
} from "@interlace/compute/evidence";
import type { CeLoss, Evidence, ModelFit, ResidualSaeRun } from "./evidence.type.js";
import type { JointEvaluation, JointFinetune } from "./joint-finetune.type.js";

function models(report: StudyReport): ModelFit[] {
  return MODELS.flatMap((entry) => {
    const fit = fitOf(report, entry);
    if (!fit) return [];
    const { name, group, description, fitting, descriptive } = entry;
    const shuffledTargets = fitting.by === "residual_model" && fitting.permuteTargets;
    const { er, ci95, seeds, parameters, epochs, lr, ridge } = fit;
    return [
      {
        name,
        group,
        description,
        shuffledTargets,
        er,
        ci95,
        seeds,
        parameters,
        descriptive,
        fit: fit.fit,
        epochs,
        lr,
        ridge,
        trainEr: fit.train_er,
        valEr: fit.val_er,
        curve: fit.curve.map((point) => ({ at: point.at, valEr: point.val_er })),
      },
    ];
  });
}

type CeLossReport = NonNullable<StudyReport["ce_loss"]>;
type JointEvaluationReport = JointFinetuneReport["arms"][number]["after"];

function ceLoss(ce: CeLossReport): CeLoss {
  return {
    tokens: ce.tokens,
    ceLossWithoutSae: ce.ce_loss_without_sae,
    ceLossWithSae: ce.ce_loss_with_sae,
    ceLossWithSaeNfm: ce.ce_loss_with_sae_nfm,
    ceLossWithAblation: ce.ce_loss_with_ablation,
    ceLossScoreSae: ce.ce_loss_score_sae,
    ceLossScoreSaeNfm: ce.ce_loss_score_sae_nfm,
    ceGapRecoveredByNfm: ce.ce_gap_recovered_by_nfm,
    klDivWithSae: ce.kl_div_with_sae,
    klDivWithSaeNfm: ce.kl_div_with_sae_nfm,
  };
}

function residualSaeByL1(report: StudyReport): ResidualSaeRun[] {
  const control = report.controls.residual_sae;
  if (!control) return [];
  return control.by_l1.map((run) => ({ ...run, main: run.l1 === control.l1 }));
}

function jointEvaluation(e: JointEvaluationReport): JointEvaluation {
  return {
    ev: e.ev,
    ci95: e.ci95,
    saeEv: e.sae_ev,
    saeCi95: e.sae_ci95,
    l0: e.l0,
    meanDecoderNorm: e.mean_decoder_norm,
  };
}

function jointFinetune(joint: JointFinetuneReport): JointFinetune {
  return {
    label: joint.label,
    sentence: joint.sentence,
    steps: joint.steps,
    lr: joint.lr,
    l1: joint.l1,
    inputScale: joint.input_scale,
    trainRows: joint.train_rows,
    heldOutRows: joint.held_out_rows,
    arms: joint.arms.map((arm) => ({
      name: arm.name,
      role: arm.role,
      headParameters: arm.head_parameters,
      stopReason: arm.stop_reason,
      steps: arm.steps,
      before: jointEvaluation(arm.before),
      after: jointEvaluation(arm.after),
      evChange: arm.ev_change,
      l0Change: arm.l0_change,
    })),
    comparisons: JOINT_COMPARISONS.map(({ name, description }) => {
      const comparison = joint[name];
      return {
        name,
        value: comparison?.value ?? null,
        ci95: comparison?.ci95 ?? null,
        compares: comparison?.arms ?? [],
        description,
      };
    }),
  };
}

/** A study's stored report.json (any version, read through upgradeReport) as the typed Evidence. */
export function evidenceOf(stored: unknown): Evidence {
  const report = upgradeReport(stored);
  const { provenance: p } = report;
  return {
    verdict: { beatsAllControls: report.verdict.beats_all_controls, sentence: report.verdict.sentence },
    converged: report.converged,
    warnings: report.warnings,
    models: models(report),
    gains: GAINS.flatMap(({ name, a, b, description }) => {
      const gain = report[name];
      return gain ? [{ name, value: gain.value, ci95: gain.ci95, compares: [a, b], description }] : [];
    }),
    ceLoss: report.ce_loss ? ceLoss(report.ce_loss) : null,
    residualSaeByL1: residualSaeByL1(report),
    jointFinetune: report.joint_finetune ? jointFinetune(report.joint_finetune) : null,
    provenance: {
      model: p.model,
      hook: p.hook,
      tokens: p.tokens,
      seeds: p.seeds,
      backend: p.backend,
      saeSource: p.sae_source,
      packageVersion: p.package_version,
      gitCommit: p.git_commit,
      createdAt: p.created_at,
      seconds: p.seconds,
      configs: p.configs,
    },
  };
}
