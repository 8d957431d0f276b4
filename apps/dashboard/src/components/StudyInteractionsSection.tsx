import { StudyInteractionsDocument } from "@interlace/schema";
import Link from "next/link";
import { formatNumber, formatPercent } from "../lib/format";
import {
  currentCursor,
  firstPageHref,
  nextPageHref,
  pageNumber,
  type SearchParams,
  withParam,
} from "../lib/pagination";
import { PAIR_ORDER_LABELS, PAIR_ORDERS, parsePairOrder, parseSupportedOnly } from "../lib/pair-order";
import { interactionMapHref, kDimensionHref } from "../lib/pair-route";
import { serverQuery } from "../lib/server-query";
import { ErrorPanel } from "./ErrorPanel";
import { InteractionsTable } from "./InteractionsTable";
import { Pager } from "./Pager";

const PAIRS_PER_PAGE = 20;
const AFTER = "pairsAfter";

/** The study's NFM checks (co-occurrence, seeds), its strongest K dimensions and its pairs with orders and filters. */
export async function StudyInteractionsSection({
  studyId,
  pathname,
  query,
}: {
  studyId: string;
  pathname: string;
  query: SearchParams;
}) {
  const orderBy = parsePairOrder(query.pairOrder);
  const supportedOnly = parseSupportedOnly(query.supported);
  const outcome = await serverQuery(StudyInteractionsDocument, {
    id: studyId,
    first: PAIRS_PER_PAGE,
    after: currentCursor(query, AFTER) ?? null,
    orderBy,
    supportedOnly,
  });
  if (!outcome.ok) return <ErrorPanel title="Interactions are unavailable" message={outcome.message} />;
  const study = outcome.data.study;
  if (!study) return null;
  const { nfm, interactions, kDimensions } = study;
  const endCursor = interactions.pageInfo.endCursor;
  const others = nfm?.replication?.seeds.slice(1) ?? [];
  const supportedOthers = nfm?.replication?.supportedSeeds?.slice(1) ?? [];
  const agreement = (list: typeof others) =>
    list
      .map(
        (s) =>
          `seed ${s.seed}: ρ ${formatNumber(s.spearman, 3)}, overlap@${nfm?.replication?.top} ${formatPercent(s.overlap, 0)}`,
      )
      .join("; ");
  return (
    <>
      <section className="panel" aria-labelledby="nfm-checks-heading">
        <h2 id="nfm-checks-heading">Are the pairs real?</h2>
        <dl className="facts">
          <dt>Co-occurrence check</dt>
          <dd data-testid="cooccurrence">
            {nfm?.cooccurrence
              ? `Spearman ρ between |strength| and lift: ${formatNumber(nfm.cooccurrence.spearman, 3)} over ${nfm.cooccurrence.pairs} co-active pairs${
                  (nfm.cooccurrence.spearman ?? 0) > 0.5 ? " — strong pairs largely mirror co-occurrence" : ""
                }`
              : "not measured for this study"}
          </dd>
          <dt>Seed replication</dt>
          <dd data-testid="seed-replication">
            {others.length > 0 ? `all pairs — ${agreement(others)}` : "one seed only: nothing to compare"}
            {supportedOthers.length > 0 ? (
              <>
                <br />
                co-active pairs — {agreement(supportedOthers)}
              </>
            ) : null}
          </dd>
        </dl>
        <p>
          <Link href={interactionMapHref(studyId)} data-testid="map-link">
            Interaction map →
          </Link>
        </p>
        {kDimensions.edges.length > 0 ? (
          <>
            <h3>K dimensions carrying the most interaction output ({kDimensions.totalCount} in all)</h3>
            <ul className="chips">
              {kDimensions.edges.map(({ node }) => (
                <li key={node.index}>
                  <Link href={kDimensionHref(studyId, node.index)} data-testid="k-link">
                    k{node.index}
                  </Link>{" "}
                  <span className="muted">
                    {formatPercent(node.varianceExplained, 1)} · L0 {node.l0} · eff. rank{" "}
                    {formatNumber(node.effectiveRank, 1)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="interactions-heading">
        <h2 id="interactions-heading">
          Interactions <span className="muted">({interactions.totalCount.toLocaleString("en-US")})</span>
        </h2>
        <nav className="filters" aria-label="Order and filter the interactions">
          <span className="muted">Order by</span>
          {PAIR_ORDERS.map((order) =>
            order === orderBy ? (
              <strong key={order} aria-current="true">
                {PAIR_ORDER_LABELS[order]}
              </strong>
            ) : (
              <Link key={order} href={withParam(pathname, query, "pairOrder", order, AFTER)} scroll={false}>
                {PAIR_ORDER_LABELS[order]}
              </Link>
            ),
          )}
          <Link
            href={withParam(pathname, query, "supported", supportedOnly ? undefined : "1", AFTER)}
            scroll={false}
            data-testid="supported-filter"
          >
            {supportedOnly ? "☑" : "☐"} co-active pairs only
          </Link>
        </nav>
        <div className="table-scroll">
          <InteractionsTable studyId={studyId} pairs={interactions.edges.map((e) => e.node)} />
        </div>
        <Pager
          label="Interactions pages"
          page={pageNumber(query, AFTER)}
          firstHref={firstPageHref(pathname, query, AFTER)}
          nextHref={
            interactions.pageInfo.hasNextPage && endCursor ? nextPageHref(pathname, query, AFTER, endCursor) : undefined
          }
        />
      </section>
    </>
  );
}
