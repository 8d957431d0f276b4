import { StudiesDocument } from "@interlace/schema";
import Link from "next/link";
import { BrowserUrqlProvider } from "../components/BrowserUrqlProvider";
import { ErrorPanel } from "../components/ErrorPanel";
import { RunsSection } from "../components/RunsSection";
import { formatDate, formatPercent } from "../lib/format";
import { serverQuery } from "../lib/server-query";

export const dynamic = "force-dynamic";

function HowToRun() {
  return (
    <div className="panel" data-testid="no-studies">
      <h2>No study yet</h2>
      <p>Run one from a shell in the repository:</p>
      <pre>
        <code>npm run interlace -- study run --model &lt;dir&gt; --layer 3</code>
      </pre>
      <p>
        or use the <a href="#runs-heading">Request a run</a> form below; a worker picks it up and the study appears here
        when it is done.
      </p>
    </div>
  );
}

export default async function StudiesPage() {
  const outcome = await serverQuery(StudiesDocument, {});
  return (
    <>
      <h1>Studies</h1>
      {!outcome.ok ? (
        <ErrorPanel title="Studies are unavailable" message={outcome.message} />
      ) : outcome.data.studies.length === 0 ? (
        <HowToRun />
      ) : (
        <div className="panel table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Study</th>
                <th scope="col">Model</th>
                <th scope="col">Hook</th>
                <th scope="col" className="numeric">
                  SAE explained variance
                </th>
                <th scope="col" className="numeric">
                  NFM error reduction
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {outcome.data.studies.map((study) => (
                <tr key={study.id} data-testid="study-row">
                  <td>
                    <Link href={`/studies/${encodeURIComponent(study.id)}`}>{study.name}</Link>
                  </td>
                  <td className="mono">{study.model}</td>
                  <td className="mono">{study.hook}</td>
                  <td className="numeric">{formatPercent(study.metrics.saeExplainedVariance)}</td>
                  <td className="numeric">{formatPercent(study.metrics.nfmErrorReduction)}</td>
                  <td>{formatDate(study.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <BrowserUrqlProvider>
        <RunsSection />
      </BrowserUrqlProvider>
    </>
  );
}
