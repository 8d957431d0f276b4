import type { EvidenceFieldsFragment } from "@interlace/schema";

/** Whether the NFM beats every control, the study's own sentence, whether every model converged, and warnings. */
export function VerdictBanner({
  verdict,
  converged,
  warnings,
}: {
  verdict: EvidenceFieldsFragment["verdict"];
  /** Every model ended closed-form or early-stopped. */
  converged: boolean;
  warnings: readonly string[];
}) {
  const beats = verdict.beatsAllControls;
  return (
    <div className={`verdict ${beats ? "verdict-yes" : "verdict-no"}`} data-testid="verdict">
      <p className="verdict-answer">
        Beats all controls: <strong data-testid="verdict-answer">{beats ? "yes" : "no"}</strong>
      </p>
      <p data-testid="verdict-sentence">{verdict.sentence}</p>
      <p className="verdict-converged" data-testid="verdict-converged">
        Every model converged: <strong>{converged ? "yes" : "no"}</strong>
        {converged ? "" : " (see each model's fit below)"}
      </p>
      {warnings.length > 0 ? (
        <ul className="verdict-warnings" aria-label="Warnings">
          {warnings.map((warning) => (
            <li key={warning} data-testid="report-warning">
              <strong>Warning:</strong> {warning}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
