import type { PairFieldsFragment } from "@interlace/schema";
import Link from "next/link";
import { formatDensity, formatNumber, formatPercent } from "../lib/format";
import { pairHref } from "../lib/pair-route";
import { FeatureLink } from "./FeatureLink";

/** Stored pairs: each links to its pair page; unsupported pairs (never co-active on held-out rows) are marked. */
export function InteractionsTable({ studyId, pairs }: { studyId: string; pairs: readonly PairFieldsFragment[] }) {
  if (pairs.length === 0) return <p className="muted">No interaction pairs match.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Pair</th>
          <th scope="col">Features</th>
          <th scope="col" className="numeric">
            Strength ⟨v_a, v_b⟩
          </th>
          <th scope="col" className="numeric">
            Contribution
          </th>
          <th scope="col" className="numeric">
            Co-activations
          </th>
          <th scope="col" className="numeric">
            Lift
          </th>
          <th scope="col" className="numeric">
            Share
          </th>
          <th scope="col" className="numeric">
            Densities (A / B)
          </th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((pair) => (
          <tr key={pair.id} data-testid="interaction-row" data-supported={String(pair.supported)}>
            <td>
              <Link href={pairHref(studyId, pair.a.index, pair.b.index)} data-testid="pair-link">
                {pair.a.index} × {pair.b.index}
              </Link>
              {pair.supported === false ? <span className="badge">unsupported</span> : null}
            </td>
            <td>
              <FeatureLink studyId={studyId} index={pair.a.index} />,{" "}
              <FeatureLink studyId={studyId} index={pair.b.index} />
            </td>
            <td className="numeric">{formatNumber(pair.strength, 4)}</td>
            <td className="numeric">{formatNumber(pair.contribution, 4)}</td>
            <td className="numeric">{pair.coActivations?.toLocaleString("en-US") ?? "—"}</td>
            <td className="numeric">{formatNumber(pair.lift, 2)}</td>
            <td className="numeric">{formatPercent(pair.share, 2)}</td>
            <td className="numeric">
              {formatDensity(pair.a.density)} / {formatDensity(pair.b.density)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
