import type { ProvenanceFieldsFragment } from "@interlace/schema";
import { provenanceFacts } from "../lib/provenance-facts";
import { ReportDownloadLink } from "./ReportDownloadLink";

/** Where the numbers come from (model, hook, tokens, seeds, version, settings), folded away, with the raw report. */
export function ProvenanceDetails({
  provenance,
  report,
  fileName,
}: {
  provenance: ProvenanceFieldsFragment;
  report: unknown;
  fileName: string;
}) {
  return (
    <details className="provenance" data-testid="provenance">
      <summary>Provenance and the full report.json</summary>
      <dl className="facts">
        {provenanceFacts(provenance).map((fact) => (
          <div key={fact.label}>
            <dt>{fact.label}</dt>
            <dd className={fact.mono ? "mono" : undefined}>{fact.value}</dd>
          </div>
        ))}
      </dl>
      <h4>Settings</h4>
      <pre>{JSON.stringify(provenance.configs, null, 2)}</pre>
      <p>
        <ReportDownloadLink report={report} fileName={fileName} />
      </p>
    </details>
  );
}
