import type { StudyQuery } from "@interlace/schema";
import { formatDensity, formatNumber } from "../lib/format";
import { FeatureLink } from "./FeatureLink";

type Pair = NonNullable<StudyQuery["study"]>["topInteractions"][number];

export function InteractionsTable({ studyId, pairs }: { studyId: string; pairs: readonly Pair[] }) {
  if (pairs.length === 0) return <p className="muted">The NFM found no interacting pairs in this study.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Feature A</th>
          <th scope="col">Feature B</th>
          <th scope="col" className="numeric">
            Strength
          </th>
          <th scope="col" className="numeric">
            Co-activations
          </th>
          <th scope="col" className="numeric">
            Densities (A / B)
          </th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((pair) => (
          <tr key={pair.id} data-testid="interaction-row">
            <td>
              <FeatureLink studyId={studyId} index={pair.a.index} />
            </td>
            <td>
              <FeatureLink studyId={studyId} index={pair.b.index} />
            </td>
            <td className="numeric">{formatNumber(pair.strength, 4)}</td>
            <td className="numeric">{pair.coActivations?.toLocaleString("en-US") ?? "—"}</td>
            <td className="numeric">
              {formatDensity(pair.a.density)} / {formatDensity(pair.b.density)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
