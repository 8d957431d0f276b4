import type { FeatureQuery } from "@interlace/schema";
import { formatDensity, formatNumber } from "../lib/format";
import { FeatureLink } from "./FeatureLink";

type Edge = NonNullable<FeatureQuery["feature"]>["interactionPartners"]["edges"][number];

export function PartnersTable({ studyId, edges }: { studyId: string; edges: readonly Edge[] }) {
  if (edges.length === 0) return <p className="muted">No interaction partners on this page.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Partner</th>
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
