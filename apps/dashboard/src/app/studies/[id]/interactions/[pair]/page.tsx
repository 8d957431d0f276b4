import { InteractionPairDocument, type PairFeatureFragment } from "@interlace/schema";
import Link from "next/link";
import { ActivationExamples } from "../../../../../components/ActivationExamples";
import { ErrorPanel } from "../../../../../components/ErrorPanel";
import { FeatureLink } from "../../../../../components/FeatureLink";
import { Metric } from "../../../../../components/Metric";
import { PairExample } from "../../../../../components/PairExample";
import { formatDensity, formatNumber, formatPercent } from "../../../../../lib/format";
import { interactionMapHref, kDimensionHref, parsePair } from "../../../../../lib/pair-route";
import { serverQuery } from "../../../../../lib/server-query";

export const dynamic = "force-dynamic";

/** One feature of the pair: density, activation and its top examples. */
function FeatureColumn({ studyId, feature, side }: { studyId: string; feature: PairFeatureFragment; side: string }) {
  const scaleMax = Math.max(feature.maxActivation, ...feature.examples.map((e) => e.maxValue));
  return (
    <section className="panel pair-feature" aria-label={`Feature ${side}`} data-testid={`pair-feature-${side}`}>
      <h2>
        {side.toUpperCase()}: <FeatureLink studyId={studyId} index={feature.index} />
      </h2>
      <dl className="facts">
        <dt>Density</dt>
        <dd>{formatDensity(feature.density)}</dd>
        <dt>Max / mean activation</dt>
        <dd>
          {formatNumber(feature.maxActivation, 3)} / {formatNumber(feature.meanActivation, 3)}
        </dd>
        <dt>Top K dimensions</dt>
        <dd>
          {feature.topKDimensions.length === 0
            ? "—"
            : feature.topKDimensions.map((d, i) => (
                <span key={d.index}>
                  {i > 0 ? ", " : ""}
                  <Link href={kDimensionHref(studyId, d.index)}>k{d.index}</Link> ({formatNumber(d.loading, 3)})
                </span>
              ))}
        </dd>
      </dl>
      <ActivationExamples examples={feature.examples} scaleMax={scaleMax} empty="No examples stored." />
    </section>
  );
}

export default async function PairPage({ params }: { params: Promise<{ id: string; pair: string }> }) {
  const { id, pair: raw } = await params;
  const studyHref = `/studies/${encodeURIComponent(id)}`;
  const parsed = parsePair(raw);
  if (!parsed) {
    return (
      <ErrorPanel
        title="Not a pair"
        message={`"${raw}" is not a pair of features: use two different feature indices, e.g. ${studyHref}/interactions/3-17.`}
      />
    );
  }
  const outcome = await serverQuery(InteractionPairDocument, { id, a: parsed.a, b: parsed.b });
  if (!outcome.ok) return <ErrorPanel title={`Pair ${raw} is unavailable`} message={outcome.message} />;
  const study = outcome.data.study;
  if (!study) {
    return <ErrorPanel title="No such study" message={`The server has no study with id "${id}".`} />;
  }
  const pair = study.interaction;
  const seeds = study.nfm?.replication?.seeds.length ?? 0;
  const scale = (f: PairFeatureFragment, values: (e: { aValues: number[]; bValues: number[] }) => number[]) =>
    Math.max(f.maxActivation, ...pair.examples.flatMap((e) => values(e)));
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study.name}</Link> /{" "}
        <Link href={interactionMapHref(id)}>Interactions</Link> /{" "}
        <span>
          #{pair.a.index} × #{pair.b.index}
        </span>
      </nav>
      <h1>
        Pair #{pair.a.index} × #{pair.b.index}
      </h1>
      {pair.supported === false ? (
        <p className="callout" data-testid="unsupported-note">
          These two features are never active together on held-out rows: the NFM never exercised this strength.
        </p>
      ) : null}
      {!pair.stored ? (
        <p className="callout" data-testid="unstored-note">
          This pair is not among the study's stored pairs: its strength comes from the NFM's embeddings; contribution,
          co-activation and examples were not measured.
        </p>
      ) : null}
      <section className="metrics" aria-label="Pair statistics">
        <Metric id="strength" label="Strength ⟨v_a, v_b⟩" value={formatNumber(pair.strength, 4)} />
        <Metric
          id="contribution"
          label="Contribution (mean ‖Δ output‖ when removed)"
          value={formatNumber(pair.contribution, 4)}
          {...(pair.contributionRows !== null ? { detail: `over ${pair.contributionRows} held-out rows` } : {})}
        />
        <Metric
          id="co-activations"
          label="Co-activations (held-out)"
          value={pair.coActivations?.toLocaleString("en-US") ?? "—"}
          detail={`lift ${formatNumber(pair.lift, 2)}`}
        />
        <Metric id="share" label="Share of interaction output" value={formatPercent(pair.share, 2)} />
        <Metric
          id="replication"
          label="Replication across seeds"
          value={pair.replication ? `${pair.replication.seeds} / ${seeds || pair.replication.strengths.length}` : "—"}
          {...(pair.replication
            ? { detail: `strengths ${pair.replication.strengths.map((s) => formatNumber(s, 3)).join(", ")}` }
            : {})}
        />
      </section>
      <div className="pair-columns">
        <FeatureColumn studyId={id} feature={pair.a} side="a" />
        <FeatureColumn studyId={id} feature={pair.b} side="b" />
      </div>
      <section className="panel" aria-labelledby="k-heading">
        <h2 id="k-heading">K dimensions carrying the pair</h2>
        {pair.kDimensions.length === 0 ? (
          <p className="muted">No embeddings stored for this study.</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Dimension</th>
                  <th scope="col" className="numeric">
                    v_a,k · v_b,k
                  </th>
                  <th scope="col" className="numeric">
                    v_a,k
                  </th>
                  <th scope="col" className="numeric">
                    v_b,k
                  </th>
                </tr>
              </thead>
              <tbody>
                {pair.kDimensions.map((d) => (
                  <tr key={d.index} data-testid="pair-k-row">
                    <td>
                      <Link href={kDimensionHref(id, d.index)} data-testid="pair-k-link">
                        k{d.index}
                      </Link>
                    </td>
                    <td className="numeric">{formatNumber(d.load, 4)}</td>
                    <td className="numeric">{formatNumber(d.aLoading, 4)}</td>
                    <td className="numeric">{formatNumber(d.bLoading, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="rows-heading">
        <h2 id="rows-heading">Where the pair contributes most</h2>
        <p className="muted">
          Orange: #{pair.a.index}'s activation; blue: #{pair.b.index}'s. Hover a token for its value.
        </p>
        {pair.examples.length === 0 ? (
          <p className="muted">No held-out contexts stored for this pair.</p>
        ) : (
          pair.examples.map((example, rank) => (
            <PairExample
              // biome-ignore lint/suspicious/noArrayIndexKey: examples are ranked; their rank is their identity
              key={rank}
              {...example}
              a={{ index: pair.a.index, scaleMax: scale(pair.a, (e) => e.aValues) }}
              b={{ index: pair.b.index, scaleMax: scale(pair.b, (e) => e.bValues) }}
            />
          ))
        )}
      </section>
    </>
  );
}
