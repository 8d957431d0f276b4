import { formatDensity } from "../lib/format";
import { FeatureLink } from "./FeatureLink";

interface Related {
  feature: { id: string; index: number; density: number };
  /** The list's own measures, formatted, in the order of the headings. */
  columns: readonly string[];
}

/** A ranked list of other features, each linking to its page with its density and the list's own measures. */
export function RelatedFeatures({
  studyId,
  items,
  headings,
  empty,
  testId,
}: {
  studyId: string;
  items: readonly Related[];
  headings: readonly string[];
  empty: string;
  testId: string;
}) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            {headings.map((heading) => (
              <th key={heading} scope="col" className="numeric">
                {heading}
              </th>
            ))}
            <th scope="col" className="numeric">
              Density
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ feature, columns }) => (
            <tr key={feature.id} data-testid="related-row">
              <td>
                <FeatureLink studyId={studyId} index={feature.index} />
              </td>
              {columns.map((column, at) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns follow the headings
                <td key={at} className="numeric">
                  {column}
                </td>
              ))}
              <td className="numeric">{formatDensity(feature.density)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
