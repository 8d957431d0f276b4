import { KDimensionDocument } from "@interlace/schema";
import Link from "next/link";
import { ErrorPanel } from "../../../../../components/ErrorPanel";
import { FeatureLink } from "../../../../../components/FeatureLink";
import { InteractionsTable } from "../../../../../components/InteractionsTable";
import { Metric } from "../../../../../components/Metric";
import { formatDensity, formatNumber, formatPercent } from "../../../../../lib/format";
import { kDimensionHref } from "../../../../../lib/pair-route";
import { serverQuery } from "../../../../../lib/server-query";

export const dynamic = "force-dynamic";

export default async function KDimensionPage({ params }: { params: Promise<{ id: string; index: string }> }) {
  const { id, index: raw } = await params;
  const studyHref = `/studies/${encodeURIComponent(id)}`;
  const index = Number(raw);
  if (!/^\d{1,6}$/.test(raw)) {
    return (
      <ErrorPanel
        title="Not a K dimension"
        message={`"${raw}" is not a K dimension: use a whole number ≥ 0, e.g. ${studyHref}/k/0.`}
      />
    );
  }
  const outcome = await serverQuery(KDimensionDocument, { id, index });
  if (!outcome.ok) return <ErrorPanel title={`K dimension ${raw} is unavailable`} message={outcome.message} />;
  const study = outcome.data.study;
  if (!study) return <ErrorPanel title="No such study" message={`The server has no study with id "${id}".`} />;
  const dim = study.kDimension;
  const k = study.nfm?.k ?? null;
  if (!dim) {
    return (
      <ErrorPanel
        title="No such K dimension"
        message={
          k ? `This study's NFM has K = ${k}: use 0 … ${k - 1}.` : "This study stores no K dimensions for its NFM."
        }
      />
    );
  }
  const maxLoading = Math.max(1e-12, ...dim.topFeatures.map((t) => Math.abs(t.loading)));
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study.name}</Link> /{" "}
        <span>K dimension {dim.index}</span>
      </nav>
      <div className="feature-header">
        <h1>K dimension {dim.index}</h1>
        <nav className="feature-nav" aria-label="Other K dimensions">
          {dim.index > 0 ? <Link href={kDimensionHref(id, dim.index - 1)}>← k{dim.index - 1}</Link> : null}
          {k === null || dim.index + 1 < k ? (
            <Link href={kDimensionHref(id, dim.index + 1)}>k{dim.index + 1} →</Link>
          ) : null}
        </nav>
      </div>
      <section className="metrics" aria-label="K dimension statistics">
        <Metric id="variance" label="Share of interaction output" value={formatPercent(dim.varianceExplained, 2)} />
        <Metric id="l0" label="L0 (|v| > 1% of max)" value={dim.l0.toLocaleString("en-US")} />
        <Metric id="effective-rank" label="Effective rank" value={formatNumber(dim.effectiveRank, 2)} />
        <Metric id="gini" label="Gini of |v|" value={formatNumber(dim.gini, 3)} />
        <Metric
          id="norms"
          label="L1 / L2 / max"
          value={`${formatNumber(dim.l1, 2)} / ${formatNumber(dim.l2, 3)} / ${formatNumber(dim.max, 3)}`}
        />
      </section>
      <section className="panel" aria-labelledby="loadings-heading">
        <h2 id="loadings-heading">Top loading features</h2>
        <div className="table-scroll">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col" className="numeric">
                  Loading v_i,k
                </th>
                <th scope="col">|loading|</th>
                <th scope="col" className="numeric">
                  Density
                </th>
              </tr>
            </thead>
            <tbody>
              {dim.topFeatures.map((t) => (
                <tr key={t.feature.index} data-testid="loading-row">
                  <td>
                    <FeatureLink studyId={id} index={t.feature.index} />
                  </td>
                  <td className="numeric">{formatNumber(t.loading, 4)}</td>
                  <td>
                    <span
                      className={t.loading < 0 ? "loading-bar loading-negative" : "loading-bar"}
                      style={{ width: `${(100 * Math.abs(t.loading)) / maxLoading}%` }}
                    />
                  </td>
                  <td className="numeric">{formatDensity(t.feature.density)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="pairs-heading">
        <h2 id="pairs-heading">Pairs loading on it</h2>
        <div className="table-scroll">
          <InteractionsTable studyId={id} pairs={dim.topPairs} />
        </div>
      </section>
    </>
  );
}
