import { StudyDocument, StudyEvidenceDocument, StudyFeaturesDocument } from "@interlace/schema";
import Link from "next/link";
import { DensityHistogram } from "../../../components/DensityHistogram";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { EvidenceSection } from "../../../components/EvidenceSection";
import { FeatureTable } from "../../../components/FeatureTable";

import { Metric } from "../../../components/Metric";
import { Pager } from "../../../components/Pager";
import { StimulusAnalysesSection } from "../../../components/StimulusAnalysesSection";
import { StudyInteractionsSection } from "../../../components/StudyInteractionsSection";
import { parseFeatureOrder } from "../../../lib/feature-order";
import { formatCi95, formatDate, formatNumber, formatPercent } from "../../../lib/format";
import { currentCursor, firstPageHref, nextPageHref, pageNumber, type SearchParams } from "../../../lib/pagination";
import { serverQuery } from "../../../lib/server-query";
import { readTextHref } from "../../../lib/steering";

export const dynamic = "force-dynamic";

const FEATURES_PER_PAGE = 25;

export default async function StudyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const order = parseFeatureOrder(query.order);
  const search = typeof query.search === "string" ? query.search.trim().slice(0, 200) : "";
  const pathname = `/studies/${encodeURIComponent(id)}`;
  const [studyOutcome, evidenceOutcome, featuresOutcome] = await Promise.all([
    serverQuery(StudyDocument, { id, bins: 30 }),
    serverQuery(StudyEvidenceDocument, { id }),
    serverQuery(StudyFeaturesDocument, {
      id,
      first: FEATURES_PER_PAGE,
      after: currentCursor(query, "after") ?? null,
      orderBy: order,
      search: search === "" ? null : search,
    }),
  ]);
  if (!studyOutcome.ok) return <ErrorPanel title={`Study ${id} is unavailable`} message={studyOutcome.message} />;
  const study = studyOutcome.data.study;
  if (!study) {
    return (
      <ErrorPanel
        title="No such study"
        message={`The server has no study with id "${id}". Pick one from the studies list on the home page.`}
      />
    );
  }
  const metrics = study.metrics;
  const connection = featuresOutcome.ok ? featuresOutcome.data.study?.features : undefined;
  const endCursor = connection?.pageInfo.endCursor;

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <span>{study.name}</span>
      </nav>
      <h1>{study.name}</h1>
      <p className="muted">
        <span className="mono">{study.model}</span> at <span className="mono">{study.hook}</span>, created{" "}
        {formatDate(study.createdAt)}, {metrics.tokens.toLocaleString("en-US")} tokens, d_in {metrics.dIn}, d_sae{" "}
        {metrics.dSae}
      </p>
      <p>
        <Link href={readTextHref(id)} data-testid="read-link">
          Run my text through this study →
        </Link>
      </p>

      <section className="metrics" aria-label="Headline metrics">
        <Metric
          id="sae-explained-variance"
          label="SAE explained variance"
          value={formatPercent(metrics.saeExplainedVariance)}
        />
        <Metric id="sae-l0" label="SAE L0 (active features per token)" value={formatNumber(metrics.saeL0, 1)} />
        <Metric id="dead-fraction" label="Dead features" value={formatPercent(metrics.deadFraction)} />
        <Metric
          id="nfm-error-reduction"
          label={`NFM error reduction on the residual${metrics.nfmK ? ` (K = ${metrics.nfmK})` : ""}`}
          value={formatPercent(metrics.nfmErrorReduction)}
          detail={formatCi95(metrics.nfmErrorReductionCi95)}
        />
      </section>

      {evidenceOutcome.ok ? (
        <EvidenceSection
          studyId={study.id}
          evidence={evidenceOutcome.data.study?.evidence ?? null}
          report={evidenceOutcome.data.study?.report ?? null}
        />
      ) : (
        <ErrorPanel title="The evidence is unavailable" message={evidenceOutcome.message} />
      )}

      <section className="panel" aria-labelledby="density-heading">
        <h2 id="density-heading">Feature density</h2>
        <DensityHistogram bins={study.densityHistogram} />
      </section>

      <section className="panel" aria-labelledby="features-heading">
        <h2 id="features-heading">
          Features
          {connection ? <span className="muted"> ({connection.totalCount.toLocaleString("en-US")})</span> : null}
        </h2>
        <form method="get" action={pathname} className="search-form" aria-label="Search explanations">
          <label>
            <span className="visually-hidden">Search explanations</span>
            <input
              type="search"
              name="search"
              defaultValue={search}
              maxLength={200}
              placeholder="Search explanations, e.g. dates"
              data-testid="feature-search"
            />
          </label>
          {query.order ? <input type="hidden" name="order" value={String(query.order)} /> : null}
          <button type="submit" className="button-secondary">
            Search
          </button>
          {search ? (
            <Link href={pathname} data-testid="clear-search">
              Clear
            </Link>
          ) : null}
        </form>
        {!featuresOutcome.ok ? (
          <ErrorPanel title="Features are unavailable" message={featuresOutcome.message} />
        ) : !connection ? null : (
          <>
            <div className="table-scroll">
              <FeatureTable studyId={id} connection={connection} order={order} pathname={pathname} params={query} />
            </div>
            <Pager
              label="Features pages"
              page={pageNumber(query, "after")}
              firstHref={firstPageHref(pathname, query, "after")}
              nextHref={
                connection.pageInfo.hasNextPage && endCursor
                  ? nextPageHref(pathname, query, "after", endCursor)
                  : undefined
              }
            />
          </>
        )}
      </section>

      <StudyInteractionsSection studyId={id} pathname={pathname} query={query} />

      <StimulusAnalysesSection studyId={study.id} />
    </>
  );
}
