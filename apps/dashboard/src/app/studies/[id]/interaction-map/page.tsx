import { InteractionMapDocument } from "@interlace/schema";
import Link from "next/link";
import { ErrorPanel } from "../../../../components/ErrorPanel";
import { InteractionHeatmap } from "../../../../components/InteractionHeatmap";
import { InteractionNetwork } from "../../../../components/InteractionNetwork";
import type { SearchParams } from "../../../../lib/pagination";
import { parseSupportedOnly } from "../../../../lib/pair-order";
import { serverQuery } from "../../../../lib/server-query";

export const dynamic = "force-dynamic";

const SIZES = [10, 20, 40, 60, 100] as const;
const NETWORK_PAIRS = 60;

function parseSize(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return SIZES.find((size) => size === n) ?? 40;
}

export default async function InteractionMapPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const features = parseSize(query.n);
  const supportedOnly = parseSupportedOnly(query.supported);
  const studyHref = `/studies/${encodeURIComponent(id)}`;
  const outcome = await serverQuery(InteractionMapDocument, { id, features, pairs: NETWORK_PAIRS, supportedOnly });
  if (!outcome.ok) return <ErrorPanel title="The interaction map is unavailable" message={outcome.message} />;
  const study = outcome.data.study;
  if (!study) return <ErrorPanel title="No such study" message={`The server has no study with id "${id}".`} />;
  const map = study.interactionMap;
  const edges = study.interactions.edges.map(({ node }) => ({
    a: node.a.index,
    b: node.b.index,
    strength: node.strength,
  }));
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study.name}</Link> / <span>Interaction map</span>
      </nav>
      <h1>Interaction map</h1>
      <form method="get" className="filters" aria-label="Map controls">
        <label>
          Features{" "}
          <select name="n" defaultValue={String(features)} data-testid="map-size">
            {SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            name="supported"
            value="1"
            defaultChecked={supportedOnly}
            data-testid="map-supported"
          />{" "}
          co-active pairs only (network)
        </label>
        <button type="submit" className="button-secondary" data-testid="map-apply">
          Apply
        </button>
      </form>
      <section className="panel" aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading">
          Strengths among the {map.features.length} features with the largest summed |strength|
        </h2>
        <p className="muted">
          Orange: positive ⟨v_a, v_b⟩; blue: negative. Click a cell for its pair; wheel or drag to zoom and pan.
        </p>
        {map.features.length === 0 ? (
          <p className="muted">This study stores no NFM embeddings.</p>
        ) : (
          <InteractionHeatmap studyId={id} features={map.features.map((f) => f.index)} strengths={map.strengths} />
        )}
      </section>
      <section className="panel" aria-labelledby="network-heading">
        <h2 id="network-heading">
          The {edges.length} strongest {supportedOnly ? "co-active " : ""}pairs
        </h2>
        <p className="muted">Click an edge for its pair, a node for its feature.</p>
        <InteractionNetwork studyId={id} edges={edges} />
      </section>
    </>
  );
}
