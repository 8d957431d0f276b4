/** report.md: the numbers of report.json for people, every model and gain as the evidence tables list them. */
import { fitOf } from "./evidence-sections.js";
import { GAINS, JOINT_COMPARISONS, MODELS, type ModelGroup, REMOVED_IN_VERSION_2 } from "./evidence-tables.js";
import type { JointFinetuneReport, ModelReport, StudyReport } from "./report-types.js";

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const ci = (c: readonly [number, number]) => `[${pct(c[0])}, ${pct(c[1])}]`;

const GROUP_PREFIX: Record<ModelGroup, string> = { nfm: "NFM", controls: "control" };

/** How a model was fitted, for people: "closed form, λ 0.25", "early stopped at epoch 3.5, lr 0.001", … */
function fitText(fit: ModelReport): string {
  const tuned = fit.lr !== null ? `, lr ${fit.lr}` : fit.ridge !== null ? `, λ ${fit.ridge.toPrecision(3)}` : "";
  const epochs = fit.epochs !== null ? ` after ${fit.epochs.toFixed(1)} epochs` : "";
  const status = { closed_form: "closed form", early_stopped: "early stopped", budget_exhausted: "budget exhausted" };
  return `${status[fit.fit]}${epochs}${tuned}`;
}

const orDash = (v: number | null) => (v === null ? "–" : pct(v));

/** " Stages: harvest 53 s, sae 228 s, …" (empty for reports written before stages were timed). */
function stageLine(stages: Record<string, number> | null): string {
  if (!stages) return "";
  return ` Stages: ${Object.entries(stages)
    .map(([stage, seconds]) => `${stage.replaceAll("_", " ")} ${seconds} s`)
    .join(", ")}.`;
}

export function renderReportMarkdown(r: StudyReport): string {
  const modelRows = (descriptive: boolean) =>
    MODELS.flatMap((entry) => {
      const fit = fitOf(r, entry);
      if (!fit || entry.descriptive !== descriptive) return [];
      return [
        `| ${GROUP_PREFIX[entry.group]} ${entry.name} | ${pct(fit.er)} | ${ci(fit.ci95)} | ${fitText(fit)} | ${orDash(fit.train_er)} | ${orDash(fit.val_er)} |`,
      ];
    });
  const gains = GAINS.flatMap((gain) => {
    const g = r[gain.name];
    return g ? [`| ${gain.name} (${gain.a} − ${gain.b}) | ${pct(g.value)} | ${ci(g.ci95)} |`] : [];
  });
  const header = "| model | ER | 95% CI | fit | train ER | validation ER |\n|---|---|---|---|---|---|";
  const pairs = r.top_pairs
    .slice(0, 10)
    .map(
      (p) => `| ${p.a} | ${p.b} | ${p.strength.toFixed(4)} | ${p.co_activations ?? "–"} | ${p.examples_a[0] ?? ""} |`,
    );
  return `# Interlace study: ${r.name}

Model \`${r.provenance.model}\`, hook \`${r.provenance.hook}\`, ${r.provenance.tokens} tokens, seeds ${r.provenance.seeds.join(", ")}, ${r.provenance.seconds} s.${stageLine(r.provenance.stage_seconds)}

## Verdict

${r.verdict.sentence}

Beats all controls: **${r.verdict.beats_all_controls ? "yes" : "no"}**. Every model converged: **${r.converged ? "yes" : "no"}**.
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

Every predictive model of the error takes the SAE code f only; affine maps are fitted in closed form (λ chosen on the validation rows), the others from the closed form by early stopping on the validation rows (a plateau of validation ER first lowers the learning rate, twice at most, and the next one ends the run; the best weights are kept), each with its learning rate chosen from the same grid on its first seed (the other seeds train at that rate; the residual SAE's λ sweep takes the rate chosen at its main λ). Models marked \`_nl\` predict the nonlinear error r_nl = r − (A·x + c); their ER is relative to ‖r_nl‖².

${header}
${modelRows(false).join("\n")}

Descriptive figures (not controls):

${header}
${modelRows(true).join("\n")}

| gain (ER a − ER b) | value | 95% CI |
|---|---|---|
${gains.join("\n")}

${REMOVED_IN_VERSION_2}

${r.joint_finetune ? jointMarkdown(r.joint_finetune) : ""}## Top interaction pairs (⟨vₐ, v_b⟩ of the full NFM, pairs seen active together)

| a | b | strength | co-activations | top example of a |
|---|---|---|---|---|
${pairs.join("\n")}
`;
}

function jointMarkdown(joint: JointFinetuneReport): string {
  const row = (a: JointFinetuneReport["arms"][number]) =>
    `| ${a.name} | ${pct(a.before.ev)} | ${pct(a.after.ev)} ${ci(a.after.ci95)} | ${pct(a.after.sae_ev)} | ${a.before.l0.toFixed(1)} → ${a.after.l0.toFixed(1)} |`;
  const comparisons = JOINT_COMPARISONS.map(({ name }) => {
    const g = joint[name];
    return g ? `| ${name} (${g.arms[0]} − ${g.arms[1]}) | ${pct(g.value)} | ${ci(g.ci95)} |` : `| ${name} | – | – |`;
  });
  return `## Joint fine-tuning (separate mode, ${joint.steps} steps)

> ${joint.label}

| arm | EV before | EV after [95% CI] | EV of the SAE part | L0 before → after |
|---|---|---|---|---|
${joint.arms.map(row).join("\n")}

| comparison | value | 95% CI |
|---|---|---|
${comparisons.join("\n")}

${joint.sentence}

`;
}
