/** report.md: the numbers of report.json for people, every model and gain as the evidence tables list them. */
import { fitOf } from "./evidence-sections.js";
import { GAINS, JOINT_COMPARISONS, MODELS, type ModelGroup } from "./evidence-tables.js";
import type { JointFinetuneReport, StudyReport } from "./report-types.js";

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const ci = (c: readonly [number, number]) => `[${pct(c[0])}, ${pct(c[1])}]`;

const GROUP_PREFIX: Record<ModelGroup, string> = { nfm: "NFM", controls: "control" };

export function renderReportMarkdown(r: StudyReport): string {
  const rows = MODELS.flatMap((entry) => {
    const fit = fitOf(r, entry);
    return fit ? [`| ${GROUP_PREFIX[entry.group]} ${entry.name} | ${pct(fit.er)} | ${ci(fit.ci95)} |`] : [];
  });
  const gains = GAINS.map(
    (gain) => `| ${gain.name} (${gain.a} − ${gain.b}) | ${pct(r[gain.name].value)} | ${ci(r[gain.name].ci95)} |`,
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

| gain (ER a − ER b) | value | 95% CI |
|---|---|---|
${gains.join("\n")}

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
