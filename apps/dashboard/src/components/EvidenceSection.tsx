import type { EvidenceFieldsFragment } from "@interlace/schema";
import { CeLossLine } from "./CeLossLine";
import { ComparisonTable } from "./ComparisonTable";
import { ErChart } from "./ErChart";
import { ErTable } from "./ErTable";
import { JointFinetuneSection } from "./JointFinetuneSection";
import { NotInReport } from "./NotInReport";
import { ProvenanceDetails } from "./ProvenanceDetails";
import { ResidualSaeSweepTable } from "./ResidualSaeSweepTable";
import { VerdictBanner } from "./VerdictBanner";

/** The study's evidence as the server types it: verdict, ER of every model it lists, its gains, and the rest. */
export function EvidenceSection({
  studyId,
  evidence,
  report,
}: {
  studyId: string;
  /** null when the study has no report. */
  evidence: EvidenceFieldsFragment | null;
  /** The raw report.json, offered for download. */
  report: unknown;
}) {
  if (!evidence) {
    return (
      <section className="panel" aria-labelledby="evidence-heading" data-testid="evidence">
        <h2 id="evidence-heading">Evidence</h2>
        <NotInReport what="The evidence (verdict, controls, gains)" />
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="evidence-heading" data-testid="evidence">
      <h2 id="evidence-heading">Evidence</h2>
      <VerdictBanner verdict={evidence.verdict} converged={evidence.converged} warnings={evidence.warnings} />

      <h3>Error reduction by model</h3>
      <p className="muted">
        The share of the SAE&apos;s error (x − SAE(x)) each model predicts on held-out rows, with bootstrap 95% CIs.
        Every predictive model takes the SAE code f only; affine maps are fitted in closed form (λ chosen on validation
        rows), the others by early stopping on validation. Descriptive figures are not controls; a model trained on
        shuffled targets is a null and should sit at 0.
      </p>
      {evidence.models.length > 0 ? <ErChart models={evidence.models} /> : <NotInReport what="Model results" />}
      <ErTable models={evidence.models} />

      <h3>Gains</h3>
      <p className="muted">Paired differences in ER on the same held-out rows; a gain counts when its CI excludes 0.</p>
      <ComparisonTable caption="Gains with 95% CIs" rows={evidence.gains} measure="ER" testId="gains" />

      <h3>Language-model loss</h3>
      {evidence.ceLoss ? <CeLossLine ceLoss={evidence.ceLoss} /> : <NotInReport what="The CE loss" />}

      <h3>Residual SAE by λ</h3>
      {evidence.residualSaeByL1.length > 0 ? (
        <ResidualSaeSweepTable runs={evidence.residualSaeByL1} />
      ) : (
        <NotInReport what="The residual SAE sweep" />
      )}

      <h3>Joint fine-tuning</h3>
      {evidence.jointFinetune ? (
        <JointFinetuneSection joint={evidence.jointFinetune} />
      ) : (
        <NotInReport what="Joint fine-tuning (a separate, optional mode)" />
      )}

      <ProvenanceDetails provenance={evidence.provenance} report={report} fileName={`report-${studyId}.json`} />
    </section>
  );
}
