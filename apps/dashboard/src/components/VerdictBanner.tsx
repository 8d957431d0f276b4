import type { Verdict } from "../lib/report";
import { NotInReport } from "./NotInReport";

function verdictAnswer(beats: boolean | null): { text: string; className: string } {
  if (beats === null) return { text: "not stated", className: "verdict-unknown" };
  return beats ? { text: "yes", className: "verdict-yes" } : { text: "no", className: "verdict-no" };
}

/** Whether the NFM beats every control, the study's own sentence, and the report's warnings. */
export function VerdictBanner({ verdict, warnings }: { verdict: Verdict | null; warnings: readonly string[] }) {
  const answer = verdictAnswer(verdict?.beatsAllControls ?? null);
  return (
    <div className={`verdict ${answer.className}`} data-testid="verdict">
      {verdict ? (
        <>
          <p className="verdict-answer">
            Beats all controls: <strong data-testid="verdict-answer">{answer.text}</strong>
          </p>
          {verdict.sentence ? <p data-testid="verdict-sentence">{verdict.sentence}</p> : null}
        </>
      ) : (
        <NotInReport what="The verdict" />
      )}
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
