/**
 * The joint fine-tuning mode as a study: every arm (the SAE alone, SAE + NFM, SAE + controls) is fine-tuned from the
 * same SAE for the same steps on the same batches and evaluated on the same held-out rows, with paired gains.
 */
import {
  type JointFineTuned,
  type JointFineTuneOptions,
  type JointProgress,
  type JointRowErrors,
  jointFineTune,
  jointRowErrors,
} from "../../nfm/joint.js";
import type { ResidualModel } from "../../nfm/model.js";
import { Sae } from "../../sae/sae.js";
import { type BootstrapOptions, type Estimate, errorReductionCi, errorReductionGainCi } from "../../stats/bootstrap.js";
import type { TrainStopReason } from "../../train/loop.js";
import { JOINT_COMPARISONS, type JointArmRole, type JointComparisonName } from "../evidence-tables.js";

export interface JointStudyArm {
  name: string;
  /** The head trained on the starting SAE's f (frozen-SAE training); null fine-tunes the SAE alone. */
  model: ResidualModel | null;
}

export interface JointStudyOptions extends Omit<JointFineTuneOptions, "trainRows" | "onProgress" | "signal"> {
  trainRows: Int32Array;
  heldOutRows: Int32Array;
  /** Resamples and seed of the CIs; `groups` (one cluster id per held-out row, in heldOutRows order) makes them
   *  cluster-bootstrap intervals. */
  bootstrap?: BootstrapOptions;
  /** Return each arm's fine-tuned SAE and head in `kept` (caller disposes) instead of disposing them. */
  keep?: boolean;
  onProgress?: (p: JointProgress & { arm: string; done: number; arms: number }) => void;
  signal?: AbortSignal;
}

export interface JointEvaluation {
  /** Explained variance of SAE(x) + head on the held-out rows. */
  ev: number;
  ci95: [number, number];
  /** Explained variance of the SAE part alone (shows how far the SAE drifted). */
  sae_ev: number;
  sae_ci95: [number, number];
  l0: number;
  /** Mean ‖W_dec[i]‖ of the SAE (raw x units). A shrinking decoder with a steady L0 means the head has taken over
   *  decoding, which the sparsity penalty λ·Σ fᵢ‖W_dec[i]‖ does not charge for. */
  mean_decoder_norm: number;
}

export interface JointArmReport {
  name: string;
  role: JointArmRole;
  /** Trainable parameters of the head (0 for the SAE alone). */
  head_parameters: number;
  stop_reason: TrainStopReason;
  steps: number;
  /** The starting SAE with the frozen head, before fine-tuning. */
  before: JointEvaluation;
  after: JointEvaluation;
  /** EV(after) − EV(before), paired over held-out rows. */
  ev_change: Estimate;
  l0_change: number;
}

/** EV(first arm) − EV(second arm), paired over the held-out rows, naming the two arms. */
export type JointComparison = Estimate & { arms: [string, string] };

/** The report of the mode; each comparison of JOINT_COMPARISONS is null when the study lacks one of its arms. */
export interface JointStudyReport extends Record<JointComparisonName, JointComparison | null> {
  label: string;
  input_scale: number;
  steps: number;
  lr: number;
  l1: number;
  train_rows: number;
  held_out_rows: number;
  arms: JointArmReport[];
  /** What the figures do and do not show, in one paragraph. */
  sentence: string;
}

export interface JointStudyResult {
  /** Plain JSON-able figures for a report. */
  report: JointStudyReport;
  /** Fine-tuned models by arm name when options.keep (caller disposes each), else null. */
  kept: Record<string, JointFineTuned> | null;
}

export const JOINT_STUDY_LABEL =
  "Joint fine-tuning of the SAE with each head: the SAE itself changes, so these figures are not comparable with " +
  "the frozen-SAE controls of the interaction study. Each arm starts from the same SAE and is fine-tuned for the " +
  "same steps on the same batches; joint_gain compares against the SAE fine-tuned alone, joint_interaction_gain " +
  "against the SAE with a linear map of f and joint_specificity against a capacity-matched MLP on f. Read any EV gain together with the arm's L0 change: a denser code can " +
  "explain more variance by itself. Read it also with sae_ev and mean_decoder_norm: the penalty λ·Σ fᵢ‖W_dec[i]‖ " +
  "charges only the SAE's decoder, so a head with a path from f that is linear in f (its linear term or an MLP) can " +
  "take over decoding while the decoder shrinks and the SAE part stops reconstructing x.";

function roleOf(model: ResidualModel | null): JointArmRole {
  if (!model) return "sae_alone";
  const c = model.config;
  if (c.interaction) return "nfm";
  if (c.mlp) return "mlp";
  if (c.linear === "f") return "linear";
  return "other";
}

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const interval = (e: Estimate) => `${pct(e.value)} [${pct(e.ci95[0])}, ${pct(e.ci95[1])}]`;

/** One paragraph: the gains, whether the SAE part kept reconstructing, and what that means for the claim. */
function jointSentence(arms: JointArmReport[], gains: Record<JointComparisonName, JointComparison | null>): string {
  const nfm = arms.find((a) => a.role === "nfm");
  if (!nfm || !gains.joint_gain) return "No SAE + NFM arm was fine-tuned, so there is no joint gain to report.";
  const parts = [
    `Fine-tuned jointly, SAE + NFM explains ${pct(nfm.after.ev)} of the variance of x, ${interval(gains.joint_gain)} more than the SAE fine-tuned alone.`,
  ];
  const drift = nfm.after.sae_ev - nfm.before.sae_ev;
  parts.push(
    `Its SAE part alone now explains ${pct(nfm.after.sae_ev)} (was ${pct(nfm.before.sae_ev)}), L0 ${nfm.before.l0.toFixed(1)} → ${nfm.after.l0.toFixed(1)}` +
      (drift < -0.02
        ? ": the head has taken over part of the decoding, so the joint gain is not by itself evidence of interactions."
        : "."),
  );
  const specific = [gains.joint_interaction_gain, gains.joint_specificity].filter((g) => g !== null);
  if (specific.length === 0) {
    parts.push("Without a linear-f or matched-MLP arm, no part of the gain can be attributed to the interaction path.");
  } else {
    const beats = specific.every((g) => g.ci95[0] > 0);
    const loses = specific.some((g) => g.ci95[1] < 0);
    const named = [
      gains.joint_interaction_gain ? `over SAE + linear f ${interval(gains.joint_interaction_gain)}` : null,
      gains.joint_specificity ? `over SAE + matched MLP ${interval(gains.joint_specificity)}` : null,
    ].filter((t) => t !== null);
    parts.push(
      beats
        ? `The NFM arm beats the arms that can take over decoding just as well (${named.join(", ")}): the interaction path adds something under joint training too.`
        : `Against the arms that can take over decoding just as well (${named.join(", ")}) the NFM arm ${loses ? "loses to at least one" : "does not win with confidence"}, so joint training gives no extra evidence for interactions.`,
    );
  }
  return parts.join(" ");
}

function meanDecoderNorm(sae: Sae): number {
  const { d_in: d, d_sae: m } = sae.cfg;
  let total = 0;
  for (let i = 0; i < m; i++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += sae.weights.W_dec[i * d + j]! ** 2;
    total += Math.sqrt(sq);
  }
  return total / m;
}

function evaluation(sae: Sae, rows: JointRowErrors, boot: BootstrapOptions): JointEvaluation {
  const joint = errorReductionCi(rows, boot);
  const alone = errorReductionCi({ residual: rows.saeResidual, total: rows.total }, boot);
  return {
    ev: joint.value,
    ci95: joint.ci95,
    sae_ev: alone.value,
    sae_ci95: alone.ci95,
    l0: rows.l0,
    mean_decoder_norm: meanDecoderNorm(sae),
  };
}

/**
 * Fine-tunes the starting SAE once per arm (the SAE alone is added as an arm when absent), evaluates every arm on
 * heldOutRows before and after, and reports the paired joint gain and specificity. Models are disposed unless
 * options.keep; the input SAE and heads are not changed.
 */
export async function runJointStudy(
  sae: Sae,
  x: Float32Array,
  heads: readonly JointStudyArm[],
  options: JointStudyOptions,
): Promise<JointStudyResult> {
  const arms = heads.some((h) => h.model === null) ? [...heads] : [{ name: "sae_alone", model: null }, ...heads];
  const names = new Set(arms.map((a) => a.name));
  if (names.size !== arms.length) throw new Error("runJointStudy: arm names must be distinct.");
  const trainSet = new Set(options.trainRows);
  const overlap = options.heldOutRows.filter((r) => trainSet.has(r)).length;
  if (overlap > 0) {
    throw new Error(`trainRows and heldOutRows share ${overlap} rows; evaluate on rows the fine-tuning does not see.`);
  }
  const boot = options.bootstrap ?? {};
  const { heldOutRows, keep, onProgress, signal, bootstrap: _, ...tuneOptions } = options;
  const start = new Sae(sae.cfg, sae.weights);
  const reports: JointArmReport[] = [];
  const after: Record<string, JointRowErrors> = {};
  const kept: Record<string, JointFineTuned> = {};
  let inputScale = Number.NaN;
  try {
    for (const [index, arm] of arms.entries()) {
      const before = jointRowErrors(start, arm.model, x, heldOutRows);
      const tuned = await jointFineTune(sae, x, arm.model, {
        ...tuneOptions,
        ...(signal ? { signal } : {}),
        onProgress: (p) => onProgress?.({ ...p, arm: arm.name, done: index, arms: arms.length }),
      });
      try {
        if (tuned.stopReason === "aborted") throw new Error("joint study cancelled.");
        inputScale = tuned.inputScale;
        const rows = jointRowErrors(tuned.sae, tuned.head, x, heldOutRows);
        after[arm.name] = rows;
        reports.push({
          name: arm.name,
          role: roleOf(arm.model),
          head_parameters: arm.model?.parameterCount ?? 0,
          stop_reason: tuned.stopReason,
          steps: tuned.steps,
          before: evaluation(start, before, boot),
          after: evaluation(tuned.sae, rows, boot),
          ev_change: errorReductionGainCi(rows, before, boot),
          l0_change: rows.l0 - before.l0,
        });
      } finally {
        if (keep && tuned.stopReason !== "aborted") kept[arm.name] = tuned;
        else disposeTuned(tuned);
      }
    }
  } catch (error) {
    for (const tuned of Object.values(kept)) disposeTuned(tuned);
    throw error;
  } finally {
    start.dispose();
  }
  const first = (role: JointArmRole) => reports.find((r) => r.role === role)?.name;
  const gain = (a: string | undefined, b: string | undefined): JointComparison | null =>
    a && b ? { ...errorReductionGainCi(after[a]!, after[b]!, boot), arms: [a, b] } : null;
  const gains = Object.fromEntries(JOINT_COMPARISONS.map((c) => [c.name, gain(first(c.a), first(c.b))])) as Record<
    JointComparisonName,
    JointComparison | null
  >;
  return {
    report: {
      label: JOINT_STUDY_LABEL,
      input_scale: inputScale,
      steps: options.steps ?? 1000,
      lr: options.lr ?? 1e-4,
      l1: options.l1,
      train_rows: options.trainRows.length,
      held_out_rows: heldOutRows.length,
      arms: reports,
      ...gains,
      sentence: jointSentence(reports, gains),
    },
    kept: keep ? kept : null,
  };
}

function disposeTuned(tuned: JointFineTuned): void {
  tuned.sae.dispose();
  tuned.head?.dispose();
}
