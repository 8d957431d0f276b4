import type { FeatureQuery } from "@interlace/schema";
import Link from "next/link";
import { formatDensity, formatNumber } from "../lib/format";

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
            <td>
              {node.partner ? (
                <Link href={`/studies/${encodeURIComponent(studyId)}/features/${node.partner.index}`}>
                  #{node.partner.index}
                </Link>
              ) : (
                "—"
              )}
            </td>
            <td className="numeric">{formatNumber(node.strength, 4)}</td>
            <td className="numeric">{node.coActivations.toLocaleString("en-US")}</td>
            <td className="numeric">{node.partner ? formatDensity(node.partner.density) : "—"}</td>
            <td className="numeric">{node.partner ? formatNumber(node.partner.maxActivation, 3) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
