import type { ModelFitFieldsFragment } from "@interlace/schema";
import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";
import { FIT_STATUS_LABELS, fitDetails, fitErs } from "../lib/model-fit";
import { groupModels } from "../lib/model-groups";
import { FitCurve } from "./FitCurve";

function SeedErs({ seeds }: { seeds: readonly { seed: number; er: number }[] }) {
  if (seeds.length === 0) return "—";
  return seeds.map(({ seed, er }, i) => (
    <span key={seed} className="nowrap">
      {i > 0 ? ", " : ""}
      {seed}: {formatPercent(er, 2)}
    </span>
  ));
}

/** How the model was fitted: status (flagged when it ended on its budget), tuning, train/validation ER, curve. */
function FitCell({ model }: { model: ModelFitFieldsFragment }) {
  const details = fitDetails(model);
  const ers = fitErs(model);
  return (
    <td className="fit-cell" data-testid="fit-cell" data-fit={model.fit}>
      <span className={`fit-status fit-${model.fit.toLowerCase()}`}>{FIT_STATUS_LABELS[model.fit]}</span>
      {details ? <div className="cell-note">{details}</div> : null}
      {ers ? <div className="cell-note">{ers}</div> : null}
      <FitCurve model={model} />
    </td>
  );
}

function ModelTableRow({ model }: { model: ModelFitFieldsFragment }) {
  return (
    <tr data-testid="er-row" data-model={model.name}>
      <th scope="row">
        <span className="mono">{model.name}</span>
        {model.descriptive ? <span className="descriptive-tag">descriptive</span> : null}
        <div className="cell-note">{model.description}</div>
      </th>
      <td className="numeric">{formatPercent(model.er, 2)}</td>
      <td className="numeric">{formatPercentInterval(model.ci95)}</td>
      <td className="numeric seeds">
        <SeedErs seeds={model.seeds} />
      </td>
      <td className="numeric">{formatNumber(model.parameters, 0)}</td>
      <FitCell model={model} />
    </tr>
  );
}

/** The chart's numbers: each model's ER, 95% CI, per-seed ER, parameter count and fit (status, tuning, validation
 *  curve), grouped as the server lists them. Scrolls inside its panel on narrow screens. */
export function ErTable({ models }: { models: readonly ModelFitFieldsFragment[] }) {
  return (
    <div className="table-scroll">
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
            <th scope="col">Fit</th>
          </tr>
        </thead>
        {groupModels(models).map(({ group, label, models: members }) => (
          <tbody key={group}>
            <tr className="group-row">
              <th scope="rowgroup" colSpan={6}>
                {label}
              </th>
            </tr>
            {members.map((model) => (
              <ModelTableRow key={model.name} model={model} />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
