import { FeatureDocument } from "@interlace/schema";
import Link from "next/link";
import { ActivationExample } from "../../../../../components/ActivationExample";
import { ErrorPanel } from "../../../../../components/ErrorPanel";
import { Metric } from "../../../../../components/Metric";
import { Pager } from "../../../../../components/Pager";
import { PartnersTable } from "../../../../../components/PartnersTable";
import { formatDensity, formatNumber } from "../../../../../lib/format";
import {
  currentCursor,
  nextPageHref,
  pageNumber,
  previousPageHref,
  type SearchParams,
} from "../../../../../lib/pagination";
import { serverQuery } from "../../../../../lib/server-query";

export const dynamic = "force-dynamic";

const EXAMPLES = 10;
const PARTNERS_PER_PAGE = 10;

export default async function FeaturePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; index: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id, index: rawIndex } = await params;
  const query = await searchParams;
  const studyHref = `/studies/${encodeURIComponent(id)}`;
  const index = Number(rawIndex);
  if (!Number.isInteger(index) || index < 0) {
    return (
      <ErrorPanel
        title="Not a feature index"
        message={`"${rawIndex}" is not a feature index: use a whole number ≥ 0, e.g. ${studyHref}/features/0.`}
      />
    );
  }
  const outcome = await serverQuery(FeatureDocument, {
    studyId: id,
    index,
    examples: EXAMPLES,
    partners: PARTNERS_PER_PAGE,
    partnersAfter: currentCursor(query, "after") ?? null,
  });
  if (!outcome.ok) return <ErrorPanel title={`Feature ${index} is unavailable`} message={outcome.message} />;
  const { study, feature } = outcome.data;
  if (!study || !feature) {
    return (
      <ErrorPanel
        title="No such feature"
        message={
          study
            ? `Study "${study.name}" has no feature ${index}. Pick one from the features table of the study.`
            : `The server has no study with id "${id}". Pick one from the studies list on the home page.`
        }
      />
    );
  }
  const pathname = `${studyHref}/features/${index}`;
  const partners = feature.interactionPartners;
  const endCursor = partners.pageInfo.endCursor;
  const scaleMax = Math.max(feature.maxActivation, ...feature.examples.map((example) => example.maxValue));

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study.name}</Link> / <span>Feature #{index}</span>
      </nav>
      <h1>Feature #{index}</h1>
      <section className="metrics" aria-label="Feature statistics">
        <Metric id="density" label="Density (fraction of tokens)" value={formatDensity(feature.density)} />
        <Metric id="max-activation" label="Max activation" value={formatNumber(feature.maxActivation, 3)} />
      </section>

      <section className="panel" aria-labelledby="examples-heading">
        <h2 id="examples-heading">Top activation examples</h2>
        <p className="muted">
          Tokens are shaded by activation relative to the feature's largest activation; hover for the value.
        </p>
        {feature.examples.length === 0 ? (
          <p className="muted">This feature has no recorded examples.</p>
        ) : (
          feature.examples.map((example, position) => (
            <ActivationExample
              // biome-ignore lint/suspicious/noArrayIndexKey: examples are ranked; their rank is their identity
              key={position}
              tokens={example.tokens}
              values={example.values}
              maxValue={example.maxValue}
              scaleMax={scaleMax}
            />
          ))
        )}
      </section>

      <section className="panel" aria-labelledby="partners-heading">
        <h2 id="partners-heading">
          Interaction partners <span className="muted">({partners.totalCount.toLocaleString("en-US")})</span>
        </h2>
        <PartnersTable studyId={id} edges={partners.edges} />
        <Pager
          label="Partner pages"
          page={pageNumber(query, "after")}
          previousHref={previousPageHref(pathname, query, "after")}
          nextHref={
            partners.pageInfo.hasNextPage && endCursor ? nextPageHref(pathname, query, "after", endCursor) : undefined
          }
        />
      </section>
      <p>
        <Link href={studyHref}>← Back to {study.name}</Link>
      </p>
    </>
  );
}
