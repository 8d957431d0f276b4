import { StudyStimulusAnalysesDocument } from "@interlace/schema";
import Link from "next/link";
import { formatDate } from "../lib/format";
import { serverQuery } from "../lib/server-query";

/** The study's earlier stimulus analyses and the way to start one. */
export async function StimulusAnalysesSection({ studyId }: { studyId: string }) {
  const outcome = await serverQuery(StudyStimulusAnalysesDocument, { id: studyId });
  const analyses = outcome.ok ? (outcome.data.study?.stimulusAnalyses ?? []) : [];
  const base = `/studies/${encodeURIComponent(studyId)}/stimulus`;
  return (
    <section className="panel" aria-labelledby="stimulus-heading" data-testid="stimulus-analyses">
      <h2 id="stimulus-heading">Stimulus analyses</h2>
      <p>
        <Link href={`${base}/new`} data-testid="new-stimulus-analysis">
          New stimulus analysis (2×2 design)
        </Link>
      </p>
      {!outcome.ok ? <p className="error-text">{outcome.message}</p> : null}
      {outcome.ok && analyses.length === 0 ? <p className="muted">No stimulus analysis yet.</p> : null}
      {analyses.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Analysis</th>
                <th scope="col">Measure</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {analyses.map((a) => (
                <tr key={a.id} data-testid="stimulus-analysis-row">
                  <td>
                    <Link href={`${base}/${encodeURIComponent(a.id)}`}>{a.name}</Link>
                  </td>
                  <td className="mono">{a.measure}</td>
                  <td>
                    <span className={`status status-${a.status.toLowerCase()}`}>{a.status.toLowerCase()}</span>
                  </td>
                  <td>{formatDate(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
