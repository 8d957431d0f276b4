import { chartedModels } from "../lib/er-chart";
import { parseStudyReport } from "../lib/report";
import { CeLossLine } from "./CeLossLine";
import { ComparisonTable } from "./ComparisonTable";
import { ErChart } from "./ErChart";
import { ErTable } from "./ErTable";
import { JointFinetuneSection } from "./JointFinetuneSection";
import { NotInReport } from "./NotInReport";
import { ProvenanceDetails } from "./ProvenanceDetails";
import { ResidualSaeSweepTable } from "./ResidualSaeSweepTable";
import { VerdictBanner } from "./VerdictBanner";

/** The study's evidence from its report.json: verdict, ER of every model and control, gains, and what else it has. */
export function EvidenceSection({ studyId, report }: { studyId: string; report: unknown }) {
  const evidence = parseStudyReport(report);
  if (!evidence) {
    return (
      <section className="panel" aria-labelledby="evidence-heading" data-testid="evidence">
        <h2 id="evidence-heading">Evidence</h2>
        <NotInReport what="The evidence (verdict, controls, gains)" />
      </section>
    );
  }
  const charted = chartedModels(evidence.models);
  return (
    <section className="panel" aria-labelledby="evidence-heading" data-testid="evidence">
      <h2 id="evidence-heading">Evidence</h2>
      <VerdictBanner verdict={evidence.verdict} warnings={evidence.warnings} />

      <h3>Error reduction by model</h3>
      <p className="muted">
        The share of the SAE&apos;s error (x − SAE(x)) each model predicts on held-out rows, with bootstrap 95% CIs. The
        permutation null is trained on shuffled targets and should sit at 0.
      </p>
      {charted.length > 0 ? <ErChart models={charted} /> : <NotInReport what="Model results" />}
      <ErTable models={evidence.models} />

      <h3>Gains</h3>
      <p className="muted">Paired differences in ER on the same held-out rows; a gain counts when its CI excludes 0.</p>
      <ComparisonTable caption="Gains with 95% CIs" rows={evidence.gains} testId="gains" />

      <h3>Language-model loss</h3>
      {evidence.ceLoss ? <CeLossLine ceLoss={evidence.ceLoss} /> : <NotInReport what="The CE loss" />}

      <h3>Residual SAE by λ</h3>
      {evidence.residualSaeSweep ? (
        <ResidualSaeSweepTable sweep={evidence.residualSaeSweep} />
      ) : (
        <NotInReport what="The residual SAE sweep" />
      )}

      <h3>Joint fine-tuning</h3>
      {evidence.joint ? (
        <JointFinetuneSection joint={evidence.joint} />
      ) : (
        <NotInReport what="Joint fine-tuning (a separate, optional mode)" />
      )}

      <ProvenanceDetails provenance={evidence.provenance} report={report} fileName={`report-${studyId}.json`} />
    </section>
  );
}
