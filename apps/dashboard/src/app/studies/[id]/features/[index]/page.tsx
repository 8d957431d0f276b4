import { FeatureDocument } from "@interlace/schema";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActivationExamples } from "../../../../../components/ActivationExamples";
import { BrowserUrqlProvider } from "../../../../../components/BrowserUrqlProvider";
import { ErrorPanel } from "../../../../../components/ErrorPanel";
import { ExplainButton } from "../../../../../components/ExplainButton";
import { ExplanationPanel } from "../../../../../components/ExplanationPanel";
import { ActivationHistogram, LogitHistogram } from "../../../../../components/FeatureHistograms";
import { LogitLists } from "../../../../../components/LogitLists";
import { Metric } from "../../../../../components/Metric";
import { Pager } from "../../../../../components/Pager";
import { PartnersTable } from "../../../../../components/PartnersTable";
import { QuantileGroups } from "../../../../../components/QuantileGroups";
import { RelatedFeatures } from "../../../../../components/RelatedFeatures";
import { SteeringPanel } from "../../../../../components/SteeringPanel";
import { formatDensity, formatNumber } from "../../../../../lib/format";
import {
  currentCursor,
  firstPageHref,
  nextPageHref,
  pageNumber,
  type SearchParams,
} from "../../../../../lib/pagination";
import { kDimensionHref } from "../../../../../lib/pair-route";
import { serverQuery } from "../../../../../lib/server-query";
import { readTextHref } from "../../../../../lib/steering";
import { currentViewer } from "../../../../../lib/viewer";

export const dynamic = "force-dynamic";

const EXAMPLES = 20;
const PARTNERS_PER_PAGE = 10;

/** Prev / next feature and a box to jump to any index (a plain GET form: works without JavaScript). */
function FeatureNav({ studyHref, index, count }: { studyHref: string; index: number; count: number }) {
  return (
    <nav className="feature-nav" aria-label="Other features">
      {index > 0 ? (
        <Link href={`${studyHref}/features/${index - 1}`} rel="prev" data-testid="previous-feature">
          ← #{index - 1}
        </Link>
      ) : (
        <span className="pager-disabled">← first</span>
      )}
      <form method="get" action={`${studyHref}/features/${index}`} className="jump">
        <label>
          <span className="visually-hidden">Feature index</span>
          <input
            type="number"
            name="go"
            min={0}
            max={count - 1}
            placeholder={`0 … ${count - 1}`}
            aria-label="Feature index to open"
            data-testid="jump-input"
          />
        </label>
        <button type="submit" className="button-secondary">
          Go
        </button>
      </form>
      {index + 1 < count ? (
        <Link href={`${studyHref}/features/${index + 1}`} rel="next" data-testid="next-feature">
          #{index + 1} →
        </Link>
      ) : (
        <span className="pager-disabled">last →</span>
      )}
    </nav>
  );
}

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
  const go = typeof query.go === "string" ? query.go.trim() : "";
  if (/^\d+$/.test(go)) redirect(`${studyHref}/features/${Number(go)}`);
  const index = Number(rawIndex);
  if (!Number.isInteger(index) || index < 0) {
    return (
      <ErrorPanel
        title="Not a feature index"
        message={`"${rawIndex}" is not a feature index: use a whole number ≥ 0, e.g. ${studyHref}/features/0.`}
      />
    );
  }
  const [outcome, viewer] = await Promise.all([
    serverQuery(FeatureDocument, {
      studyId: id,
      index,
      examples: EXAMPLES,
      partners: PARTNERS_PER_PAGE,
      partnersAfter: currentCursor(query, "after") ?? null,
    }),
    currentViewer(),
  ]);
  if (!outcome.ok) return <ErrorPanel title={`Feature ${index} is unavailable`} message={outcome.message} />;
  const { study, feature } = outcome.data;
  if (!study) {
    return (
      <ErrorPanel
        title="No such study"
        message={`The server has no study with id "${id}". Pick one from the studies list on the home page.`}
      />
    );
  }
  const pathname = `${studyHref}/features/${index}`;
  const partners = feature.interactionPartners;
  const endCursor = partners.pageInfo.endCursor;
  const scaleMax = Math.max(feature.maxActivation, ...feature.examples.map((example) => example.maxValue));
  const fired = feature.density > 0;

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study.name}</Link> / <span>Feature #{index}</span>
      </nav>
      <div className="feature-header">
        <h1>Feature #{index}</h1>
        <FeatureNav studyHref={studyHref} index={index} count={study.metrics.dSae} />
      </div>
      <section className="panel" aria-labelledby="explanation-heading" data-testid="panel-explanation">
        <h2 id="explanation-heading">Explanation</h2>
        <ExplanationPanel explanations={feature.explanations} baselines={study.explanationBaselines} />
        {viewer ? (
          <BrowserUrqlProvider>
            <ExplainButton studyId={id} index={index} />
          </BrowserUrqlProvider>
        ) : null}
      </section>
      <section className="metrics" aria-label="Feature statistics">
        <Metric id="density" label="Density (held-out tokens)" value={formatDensity(feature.density)} />
        <Metric id="max-activation" label="Max activation" value={formatNumber(feature.maxActivation, 3)} />
        <Metric id="mean-activation" label="Mean when active" value={formatNumber(feature.meanActivation, 3)} />
      </section>

      <section className="panel" aria-labelledby="histogram-heading" data-testid="panel-histogram">
        <h2 id="histogram-heading">Activations</h2>
        {fired && feature.histogram.length > 0 ? (
          <ActivationHistogram bins={feature.histogram} />
        ) : (
          <p className="muted">This feature never fired on held-out tokens.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="examples-heading" data-testid="panel-examples">
        <h2 id="examples-heading">Top activating contexts</h2>
        <p className="muted">
          Tokens are shaded by activation relative to the feature's largest; hover a token for its value. The outlined
          token is the one the example was chosen for.
        </p>
        <ActivationExamples
          examples={feature.examples}
          scaleMax={scaleMax}
          empty="This feature has no recorded examples."
        />
      </section>

      <section className="panel" aria-labelledby="steering-heading" data-testid="panel-steering">
        <h2 id="steering-heading">Steer with this feature</h2>
        <p className="muted">
          Clamp the feature's code to a value, or add a multiple of its decoder direction, at the study's hook for every
          token of the prompt and of the continuation; the SAE's error term is kept. Or{" "}
          <Link href={readTextHref(id, { shade: String(index) })}>read your own text</Link> through this study.
        </p>
        <BrowserUrqlProvider>
          <SteeringPanel
            studyId={id}
            featureIndex={index}
            maxActivation={feature.maxActivation}
            canSteer={viewer !== null}
          />
        </BrowserUrqlProvider>
      </section>

      <section className="panel" aria-labelledby="quantiles-heading" data-testid="panel-quantiles">
        <h2 id="quantiles-heading">Examples across the activation range</h2>
        <QuantileGroups groups={feature.quantiles} scaleMax={scaleMax} />
      </section>

      <section className="panel" aria-labelledby="logits-heading" data-testid="panel-logits">
        <h2 id="logits-heading">Logit effects</h2>
        <p className="muted">The direction's direct effect on each token's logit through the final norm's gain.</p>
        <div className="logit-panel">
          <LogitLists top={feature.topLogits} bottom={feature.bottomLogits} />
          {feature.logitHistogram.length > 0 ? (
            <LogitHistogram bins={feature.logitHistogram} />
          ) : (
            <p className="muted">No logit effects were stored for this feature.</p>
          )}
        </div>
      </section>

      <div className="panel-pair">
        <section className="panel" aria-labelledby="neighbours-heading" data-testid="panel-neighbours">
          <h2 id="neighbours-heading">Decoder neighbours</h2>
          <RelatedFeatures
            studyId={id}
            testId="neighbours"
            headings={["Cosine"]}
            empty="No neighbours were stored for this feature."
            items={feature.neighbours.map((n) => ({ feature: n.feature, columns: [formatNumber(n.cosine, 3)] }))}
          />
        </section>
        <section className="panel" aria-labelledby="coactivating-heading" data-testid="panel-coactivating">
          <h2 id="coactivating-heading">Fires together with</h2>
          <RelatedFeatures
            studyId={id}
            testId="co-activating"
            headings={["Tokens", "Lift"]}
            empty="It never fired on the same held-out token as another feature."
            items={feature.coActivating.map((c) => ({
              feature: c.feature,
              columns: [c.count.toLocaleString("en-US"), formatNumber(c.lift, 2)],
            }))}
          />
        </section>
      </div>

      <section className="panel" aria-labelledby="partners-heading" data-testid="panel-partners">
        <h2 id="partners-heading">
          Interaction partners <span className="muted">({partners.totalCount.toLocaleString("en-US")})</span>
        </h2>
        {feature.topKDimensions.length > 0 ? (
          <p data-testid="feature-k-dimensions">
            Loads most on{" "}
            {feature.topKDimensions.map((d, i) => (
              <span key={d.index}>
                {i > 0 ? ", " : ""}
                <Link href={kDimensionHref(id, d.index)}>k{d.index}</Link> ({formatNumber(d.loading, 3)})
              </span>
            ))}
          </p>
        ) : null}
        <div className="table-scroll">
          <PartnersTable studyId={id} featureIndex={index} edges={partners.edges} />
        </div>
        <Pager
          label="Partner pages"
          page={pageNumber(query, "after")}
          firstHref={firstPageHref(pathname, query, "after")}
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
