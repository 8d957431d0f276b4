import type { ModelFitFieldsFragment } from "@interlace/schema";
import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";
import { groupModels } from "../lib/model-groups";

function SeedErs({ seeds }: { seeds: readonly { seed: number; er: number }[] }) {
  if (seeds.length === 0) return "—";
  return seeds.map(({ seed, er }, i) => (
    <span key={seed} className="nowrap">
      {i > 0 ? ", " : ""}
      {seed}: {formatPercent(er, 2)}
    </span>
  ));
}

function ModelTableRow({ model }: { model: ModelFitFieldsFragment }) {
  return (
    <tr data-testid="er-row" data-model={model.name}>
      <th scope="row">
        <span className="mono">{model.name}</span>
        <div className="cell-note">{model.description}</div>
      </th>
      <td className="numeric">{formatPercent(model.er, 2)}</td>
      <td className="numeric">{formatPercentInterval(model.ci95)}</td>
      <td className="numeric seeds">
        <SeedErs seeds={model.seeds} />
      </td>
      <td className="numeric">{formatNumber(model.parameters, 0)}</td>
    </tr>
  );
}

/** The chart's numbers: each model's ER, 95% CI, per-seed ER and parameter count, grouped as the server lists them. */
export function ErTable({ models }: { models: readonly ModelFitFieldsFragment[] }) {
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
      {groupModels(models).map(({ group, label, models: members }) => (
        <tbody key={group}>
          <tr className="group-row">
            <th scope="rowgroup" colSpan={5}>
              {label}
            </th>
          </tr>
          {members.map((model) => (
            <ModelTableRow key={model.name} model={model} />
          ))}
        </tbody>
      ))}
    </table>
  );
}
