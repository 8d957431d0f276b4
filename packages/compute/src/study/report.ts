import type { NfmSpliceMetrics } from "../eval/nfm-splice.js";
import type { InteractionStudyResult } from "../nfm/controls.js";
import type { InteractionPair } from "../nfm/inspect.js";
import type { JointStudyReport } from "../nfm/joint-study.js";
import type { SaeMetrics } from "../sae/evaluate.js";
import type { StudySettings } from "./options.js";
import type { ActivationExampleData, FeatureSummary } from "./types.js";

export interface ReportInput {
  name: string;
  model: string;
  hook: string;
  backend: string;
  settings: StudySettings;
  rows: { train: number; held_out: number; held_out_windows: number; split_mode: string };
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
}

/** One example as text with the most active token in ⟦brackets⟧. */
export function exampleText(example: ActivationExampleData): string {
  const peak = example.values.indexOf(Math.max(...example.values));
  return example.tokens.map((t, i) => (i === peak ? `⟦${t}⟧` : t)).join("");
}

/** report.json: provenance, SAE metrics, every control and NFM variant with CIs, the gains, the verdict, top pairs. */
export function buildReport(input: ReportInput): Record<string, unknown> {
  const { study, saeMetrics: m } = input;
  const examplesOf = (feature: number) => (input.features[feature]?.examples ?? []).slice(0, 2).map(exampleText);
  return {
    name: input.name,
    provenance: {
      model: input.model,
      hook: input.hook,
      tokens: input.rows.train + input.rows.held_out,
      rows: input.rows,
      configs: input.settings,
      seeds: input.settings.seeds,
      backend: input.backend,
      sae_source: input.saeSource ?? "trained",
      sae_training: input.saeTraining,
      ...input.provenance,
      created_at: new Date().toISOString(),
      seconds: Math.round(input.seconds * 10) / 10,
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
    interaction_gain: study.interaction_gain,
    interaction_gain_over_x: study.interaction_gain_over_x,
    interaction_specificity: study.interaction_specificity,
    full_over_null: study.full_over_null,
    full_over_mlp_matched: study.full_over_mlp_matched,
    verdict: study.verdict,
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
function jointSection(joint: JointStudyReport) {
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

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const ci = (c: readonly [number, number]) => `[${pct(c[0])}, ${pct(c[1])}]`;

/** report.md: the same numbers for people. */
export function renderReportMarkdown(report: Record<string, unknown>): string {
  const r = report as {
    name: string;
    provenance: { model: string; hook: string; tokens: number; seeds: number[]; seconds: number };
    sae: { explained_variance: number; l0: number; dead_fraction: number; mse: number };
    ce_loss: {
      tokens: number;
      ce_loss_without_sae: number;
      ce_loss_with_sae: number;
      ce_loss_with_sae_nfm: number;
      ce_loss_score_sae: number;
      ce_loss_score_sae_nfm: number;
      ce_gap_recovered_by_nfm: number;
    } | null;
    controls: Record<string, { er: number; ci95: [number, number] } | null>;
    nfm: Record<string, { er: number; ci95: [number, number] }>;
    interaction_gain: { value: number; ci95: [number, number] };
    interaction_gain_over_x: { value: number; ci95: [number, number] };
    interaction_specificity: { value: number; ci95: [number, number] };
    verdict: { beats_all_controls: boolean; sentence: string };
    joint_finetune?: JointStudyReport | null;
    warnings: string[];
    top_pairs: { a: number; b: number; strength: number; co_activations: number | null; examples_a: string[] }[];
  };
  const rows = [
    ...Object.entries(r.nfm).map(([name, v]) => `| NFM ${name} | ${pct(v.er)} | ${ci(v.ci95)} |`),
    ...Object.entries(r.controls)
      .filter((entry): entry is [string, { er: number; ci95: [number, number] }] => entry[1] !== null)
      .map(([name, v]) => `| control ${name} | ${pct(v.er)} | ${ci(v.ci95)} |`),
  ];
  const gains = (["interaction_gain", "interaction_gain_over_x", "interaction_specificity"] as const).map(
    (key) => `| ${key} | ${pct(r[key].value)} | ${ci(r[key].ci95)} |`,
  );
  const pairs = r.top_pairs
    .slice(0, 10)
    .map(
      (p) => `| ${p.a} | ${p.b} | ${p.strength.toFixed(4)} | ${p.co_activations ?? "–"} | ${p.examples_a[0] ?? ""} |`,
    );
  return `# Interlace study: ${r.name}

Model \`${r.provenance.model}\`, hook \`${r.provenance.hook}\`, ${r.provenance.tokens} tokens, seeds ${r.provenance.seeds.join(", ")}, ${r.provenance.seconds} s.

## Verdict

${r.verdict.sentence}

Beats all controls: **${r.verdict.beats_all_controls ? "yes" : "no"}**.
${r.warnings.map((w) => `\n> Warning: ${w}\n`).join("")}
## SAE (held-out rows)

Explained variance ${r.sae.explained_variance.toFixed(3)}, L0 ${r.sae.l0.toFixed(1)}, MSE ${r.sae.mse.toPrecision(3)}, dead ${pct(r.sae.dead_fraction)}.

${
  r.ce_loss
    ? `## Language-model loss (held-out windows, ${r.ce_loss.tokens} tokens)

CE clean ${r.ce_loss.ce_loss_without_sae.toFixed(4)}, with the SAE spliced in ${r.ce_loss.ce_loss_with_sae.toFixed(4)} (ce_loss_score ${r.ce_loss.ce_loss_score_sae.toFixed(4)}), with SAE + full NFM ${r.ce_loss.ce_loss_with_sae_nfm.toFixed(4)} (ce_loss_score ${r.ce_loss.ce_loss_score_sae_nfm.toFixed(4)}): the NFM recovers ${pct(r.ce_loss.ce_gap_recovered_by_nfm)} of the CE the SAE loses.

`
    : ""
}## Error reduction of the SAE residual (held-out rows, bootstrap 95% CI over context windows)

| model | ER | 95% CI |
|---|---|---|
${rows.join("\n")}

| gain | value | 95% CI |
|---|---|---|
${gains.join("\n")}

${r.joint_finetune ? jointMarkdown(r.joint_finetune) : ""}## Top interaction pairs (⟨vₐ, v_b⟩ of the full NFM, pairs seen active together)

| a | b | strength | co-activations | top example of a |
|---|---|---|---|---|
${pairs.join("\n")}
`;
}

function jointMarkdown(joint: JointStudyReport): string {
  const row = (a: JointStudyReport["arms"][number]) =>
    `| ${a.name} | ${pct(a.before.ev)} | ${pct(a.after.ev)} ${ci(a.after.ci95)} | ${pct(a.after.sae_ev)} | ${a.before.l0.toFixed(1)} → ${a.after.l0.toFixed(1)} |`;
  const gain = (name: string, g: JointStudyReport["joint_gain"]) =>
    g ? `| ${name} (${g.arms[0]} − ${g.arms[1]}) | ${pct(g.value)} | ${ci(g.ci95)} |` : `| ${name} | – | – |`;
  return `## Joint fine-tuning (separate mode, ${joint.steps} steps)

> ${joint.label}

| arm | EV before | EV after [95% CI] | EV of the SAE part | L0 before → after |
|---|---|---|---|---|
${joint.arms.map(row).join("\n")}

| comparison | value | 95% CI |
|---|---|---|
${gain("joint_gain", joint.joint_gain)}
${gain("joint_interaction_gain", joint.joint_interaction_gain)}
${gain("joint_specificity", joint.joint_specificity)}

${joint.sentence}

`;
}
