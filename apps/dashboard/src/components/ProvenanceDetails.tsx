import type { Provenance } from "../lib/report";
import { NotInReport } from "./NotInReport";
import { ReportDownloadLink } from "./ReportDownloadLink";

/** Where the numbers come from (model, hook, tokens, seeds, version, settings), folded away, with the raw report. */
export function ProvenanceDetails({
  provenance,
  report,
  fileName,
}: {
  provenance: Provenance | null;
  report: unknown;
  fileName: string;
}) {
  return (
    <details className="provenance" data-testid="provenance">
      <summary>Provenance and the full report.json</summary>
      {provenance && provenance.facts.length > 0 ? (
        <dl className="facts">
          {provenance.facts.map((fact) => (
            <div key={fact.key}>
              <dt>{fact.label}</dt>
              <dd className={fact.key === "git_commit" || fact.key === "hook" ? "mono" : undefined}>{fact.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <NotInReport what="Provenance" />
      )}
      {provenance?.configs ? (
        <>
          <h4>Settings</h4>
          <pre>{JSON.stringify(provenance.configs, null, 2)}</pre>
        </>
      ) : null}
      <p>
        <ReportDownloadLink report={report} fileName={fileName} />
      </p>
    </details>
  );
}
