import type { EvidenceFieldsFragment } from "@interlace/schema";

/** Whether the NFM beats every control, the study's own sentence, and the report's warnings. */
export function VerdictBanner({
  verdict,
  warnings,
}: {
  verdict: EvidenceFieldsFragment["verdict"];
  warnings: readonly string[];
}) {
  const beats = verdict.beatsAllControls;
  return (
    <div className={`verdict ${beats ? "verdict-yes" : "verdict-no"}`} data-testid="verdict">
      <p className="verdict-answer">
        Beats all controls: <strong data-testid="verdict-answer">{beats ? "yes" : "no"}</strong>
      </p>
      <p data-testid="verdict-sentence">{verdict.sentence}</p>
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
