import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";
import type { ModelRow } from "../lib/report";
import { MODEL_GROUP_LABELS, type ModelGroup } from "../lib/report-models";

function SeedErs({ seeds }: { seeds: readonly { seed: number; er: number }[] }) {
  if (seeds.length === 0) return "—";
  return seeds.map(({ seed, er }, i) => (
    <span key={seed} className="nowrap">
      {i > 0 ? ", " : ""}
      {seed}: {formatPercent(er, 2)}
    </span>
  ));
}

function ModelTableRow({ row: { key, description, result } }: { row: ModelRow }) {
  return (
    <tr data-testid="er-row" data-model={key}>
      <th scope="row">
        <span className="mono">{key}</span>
        <div className="cell-note">{description}</div>
      </th>
      {result ? (
        <>
          <td className="numeric">{formatPercent(result.er, 2)}</td>
          <td className="numeric">{formatPercentInterval(result.ci95)}</td>
          <td className="numeric seeds">
            <SeedErs seeds={result.seeds} />
          </td>
          <td className="numeric">{formatNumber(result.parameters, 0)}</td>
        </>
      ) : (
        <td colSpan={4} className="muted">
          not in this study&apos;s report
        </td>
      )}
    </tr>
  );
}

/** The chart's numbers: each model's ER, 95% CI, per-seed ER and parameter count; missing models say so. */
export function ErTable({ models }: { models: readonly ModelRow[] }) {
  const groups = Object.keys(MODEL_GROUP_LABELS) as ModelGroup[];
  return (
    <table className="table evidence-table" data-testid="er-table">
      <caption className="visually-hidden">Error reduction of the SAE residual by model, with 95% CIs</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="numeric">
            ER
          </th>
          <th scope="col" className="numeric">
            95% CI
          </th>
          <th scope="col" className="numeric">
            ER by seed
          </th>
          <th scope="col" className="numeric">
            Parameters
          </th>
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group}>
          <tr className="group-row">
            <th scope="rowgroup" colSpan={5}>
              {MODEL_GROUP_LABELS[group]}
            </th>
          </tr>
          {models
            .filter((row) => row.group === group)
            .map((row) => (
              <ModelTableRow key={row.key} row={row} />
            ))}
        </tbody>
      ))}
    </table>
  );
}
