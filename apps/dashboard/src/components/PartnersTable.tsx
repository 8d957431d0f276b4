import type { FeatureQuery } from "@interlace/schema";
import Link from "next/link";
import { formatDensity, formatNumber } from "../lib/format";
import { pairHref } from "../lib/pair-route";
import { FeatureLink } from "./FeatureLink";

type Edge = NonNullable<FeatureQuery["feature"]>["interactionPartners"]["edges"][number];

export function PartnersTable({
  studyId,
  featureIndex,
  edges,
}: {
  studyId: string;
  featureIndex: number;
  edges: readonly Edge[];
}) {
  if (edges.length === 0) return <p className="muted">No interaction partners on this page.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Partner</th>
          <th scope="col">Pair</th>
          <th scope="col" className="numeric">
            Strength
          </th>
          <th scope="col" className="numeric">
            Co-activations
          </th>
          <th scope="col" className="numeric">
            Partner density
          </th>
          <th scope="col" className="numeric">
            Partner max activation
          </th>
        </tr>
      </thead>
      <tbody>
        {edges.map(({ node }) => (
          <tr key={node.id} data-testid="partner-row">
            <td>{node.partner ? <FeatureLink studyId={studyId} index={node.partner.index} /> : "—"}</td>
            <td>
              {node.partner ? (
                <Link href={pairHref(studyId, featureIndex, node.partner.index)} data-testid="partner-pair-link">
                  pair
                </Link>
              ) : (
                "—"
              )}
              {node.supported === false ? <span className="badge">unsupported</span> : null}
            </td>
            <td className="numeric">{formatNumber(node.strength, 4)}</td>
            <td className="numeric">{node.coActivations?.toLocaleString("en-US") ?? "—"}</td>
            <td className="numeric">{node.partner ? formatDensity(node.partner.density) : "—"}</td>
            <td className="numeric">{node.partner ? formatNumber(node.partner.maxActivation, 3) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
