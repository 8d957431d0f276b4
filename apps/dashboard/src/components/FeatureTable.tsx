import type { FeatureOrder, StudyFeaturesQuery } from "@interlace/schema";
import Link from "next/link";
import { ariaSort, nextFeatureOrder, type SortColumn } from "../lib/feature-order";
import { formatDensity, formatNumber } from "../lib/format";
import { type SearchParams, withParam } from "../lib/pagination";

type Connection = NonNullable<StudyFeaturesQuery["study"]>["features"];

function SortHeader({
  column,
  label,
  order,
  pathname,
  params,
}: {
  column: SortColumn;
  label: string;
  order: FeatureOrder;
  pathname: string;
  params: SearchParams;
}) {
  const sort = ariaSort(order, column);
  const arrow = sort === "ascending" ? " ▲" : sort === "descending" ? " ▼" : "";
  return (
    <th scope="col" aria-sort={sort} className={column === "INDEX" ? undefined : "numeric"}>
      <Link
        href={withParam(pathname, params, "order", nextFeatureOrder(order, column), "after")}
        scroll={false}
        data-testid={`sort-${column.toLowerCase().replace("_", "-")}`}
      >
        {label}
        {arrow}
      </Link>
    </th>
  );
}

export function FeatureTable({
  studyId,
  connection,
  order,
  pathname,
  params,
}: {
  studyId: string;
  connection: Connection;
  order: FeatureOrder;
  pathname: string;
  params: SearchParams;
}) {
  const header = { order, pathname, params };
  return (
    <table className="table">
      <thead>
        <tr>
          <SortHeader column="INDEX" label="Feature" {...header} />
          <SortHeader column="DENSITY" label="Density" {...header} />
          <SortHeader column="MAX_ACTIVATION" label="Max activation" {...header} />
          <th scope="col">Explanation</th>
        </tr>
      </thead>
      <tbody>
        {connection.edges.map(({ node }) => (
          <tr key={node.id} data-testid="feature-row" data-index={node.index}>
            <td>
              <Link href={`/studies/${encodeURIComponent(studyId)}/features/${node.index}`}>#{node.index}</Link>
            </td>
            <td className="numeric">{formatDensity(node.density)}</td>
            <td className="numeric">{formatNumber(node.maxActivation, 3)}</td>
            <td className="explanation-cell" data-testid="feature-explanation">
              {node.explanations[0]?.text ?? ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
