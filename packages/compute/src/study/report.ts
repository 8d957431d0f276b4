import type { NfmSpliceMetrics } from "../eval/nfm-splice.js";
import type { InteractionPair } from "../nfm/inspect.js";
import type { SaeMetrics } from "../sae/evaluate.js";
import { gainSection } from "./evidence-sections.js";
import type { InteractionStudyResult } from "./interaction/controls.js";
import type { JointStudyReport } from "./interaction/joint-study.js";
import type { StudySettings } from "./options.js";
import { type JointFinetuneReport, REPORT_VERSION, type StudyReport } from "./report-types.js";
import type { ActivationExampleData, FeatureSummary } from "./types.js";

export interface ReportInput {
  name: string;
  model: string;
  hook: string;
  backend: string;
  settings: StudySettings;
  rows: { train: number; validation: number; held_out: number; held_out_windows: number; split_mode: string };
  saeSource: string | null;
  saeTraining: Record<string, unknown> | null;
  saeMetrics: SaeMetrics;
  ceLoss: NfmSpliceMetrics | null;
  study: InteractionStudyResult;
  /** The separate joint fine-tuning mode's figures, or null when it was off. */
  joint: JointStudyReport | null;
  pairs: InteractionPair[];
  features: FeatureSummary[];
  provenance: { package_version: string; git_commit: string | null };
  seconds: number;
  /** Wall seconds per stage. */
  stageSeconds: Record<string, number>;
}

/** One example as text with the most active token in ⟦brackets⟧. */
export function exampleText(example: ActivationExampleData): string {
  const peak = example.values.indexOf(Math.max(...example.values));
  return example.tokens.map((t, i) => (i === peak ? `⟦${t}⟧` : t)).join("");
}

/** report.json: provenance, SAE metrics, every control and NFM variant with CIs, the gains, the verdict, top pairs. */
export function buildReport(input: ReportInput): StudyReport {
  const { study, saeMetrics: m } = input;
  const examplesOf = (feature: number) => (input.features[feature]?.examples ?? []).slice(0, 2).map(exampleText);
  return {
    report_version: REPORT_VERSION,
    name: input.name,
    provenance: {
      model: input.model,
      hook: input.hook,
      tokens: input.rows.train + input.rows.validation + input.rows.held_out,
      rows: input.rows,
      configs: input.settings,
      seeds: input.settings.seeds,
      backend: input.backend,
      sae_source: input.saeSource ?? "trained",
      sae_training: input.saeTraining,
      ...input.provenance,
      created_at: new Date().toISOString(),
      seconds: Math.round(input.seconds * 10) / 10,
      stage_seconds: Object.fromEntries(
        Object.entries(input.stageSeconds).map(([stage, seconds]) => [stage, Math.round(seconds * 10) / 10]),
      ),
    },
    sae: {
      l0: m.l0,
      l1: m.l1,
      mse: m.mse,
      explained_variance: m.explained_variance,
      cossim: m.cossim,
      l2_ratio: m.l2_ratio,
      dead_fraction: m.dead_fraction,
      dense_fraction: m.dense_fraction,
      log10_density_histogram: m.log10_density_histogram,
      held_out_rows: m.rows,
    },
    ce_loss: input.ceLoss,
    controls: study.controls,
    nfm: study.nfm,
    ...gainSection((gain) => study[gain.name]),
    verdict: study.verdict,
    converged: study.converged,
    joint_finetune: input.joint ? jointSection(input.joint) : null,
    warnings:
      input.rows.held_out_windows < 20
        ? [
            `Only ${input.rows.held_out_windows} held-out context windows: the cluster-bootstrap CIs resample windows and are too narrow to trust; harvest more tokens.`,
          ]
        : [],
    top_pairs: input.pairs.slice(0, 20).map((p) => ({
      a: p.a,
      b: p.b,
      strength: p.strength,
      co_activations: p.coActivations,
      examples_a: examplesOf(p.a),
      examples_b: examplesOf(p.b),
    })),
  };
}

/** The joint mode's report, with each arm's after-fine-tuning figures also flat for readers of the report. */
function jointSection(joint: JointStudyReport): JointFinetuneReport {
  return {
    ...joint,
    arms: joint.arms.map((arm) => ({
      ...arm,
      explained_variance: arm.after.ev,
      ci95: arm.after.ci95,
      l0: arm.after.l0,
      sae_part_explained_variance: arm.after.sae_ev,
    })),
  };
}
