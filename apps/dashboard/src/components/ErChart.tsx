"use client";

import { AxisBottom } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Line } from "@visx/shape";
import { type ChartedModel, erChartLines, erChartSummary, erDomain, erTickDigits } from "../lib/er-chart";
import { formatPercent, formatPercentInterval } from "../lib/format";

const WIDTH = 720;
const MARGIN = { top: 8, right: 24, bottom: 44, left: 190 };
const CAP = 5;

function ModelMark({ model, y, x }: { model: ChartedModel; y: number; x: (value: number) => number }) {
  const { er, ci95 } = model;
  return (
    <g className={`er-row er-row-${model.group.toLowerCase()}${model.shuffledTargets ? " er-row-null" : ""}`}>
      <title>{`${model.name}: ER ${formatPercent(er, 2)}, 95% CI ${formatPercentInterval(ci95)}`}</title>
      <text x={-10} y={y} dy="0.32em" textAnchor="end" className="er-label">
        {model.name}
      </text>
      {ci95[0] !== undefined && ci95[1] !== undefined ? (
        <>
          <Line from={{ x: x(ci95[0]), y }} to={{ x: x(ci95[1]), y }} className="er-interval" />
          <Line from={{ x: x(ci95[0]), y: y - CAP }} to={{ x: x(ci95[0]), y: y + CAP }} className="er-interval" />
          <Line from={{ x: x(ci95[1]), y: y - CAP }} to={{ x: x(ci95[1]), y: y + CAP }} className="er-interval" />
        </>
      ) : null}
      <circle cx={x(er)} cy={y} r={4.5} className="er-point" />
    </g>
  );
}

/** ER of every model with its 95% CI as a horizontal error bar, NFM variants and controls grouped, a line at 0. */
export function ErChart({ models }: { models: readonly ChartedModel[] }) {
  const { lines, height: innerHeight } = erChartLines(models);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const height = innerHeight + MARGIN.top + MARGIN.bottom;
  const x = scaleLinear<number>({ domain: erDomain(models), range: [0, innerWidth], nice: true });
  const tickDigits = erTickDigits(x.domain());
  return (
    <svg
      className="er-chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={erChartSummary(models)}
      data-testid="er-chart"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        <Line from={{ x: x(0), y: 0 }} to={{ x: x(0), y: innerHeight }} className="er-zero" />
        {lines.map((line) =>
          line.kind === "group" ? (
            <text key={line.group} x={-MARGIN.left + 4} y={line.y} dy="0.32em" className="er-group-label">
              {line.label}
            </text>
          ) : (
            <ModelMark key={line.model.name} model={line.model} y={line.y} x={(value) => x(value)} />
          ),
        )}
        <AxisBottom
          scale={x}
          top={innerHeight}
          numTicks={6}
          tickFormat={(value) => formatPercent(Number(value), tickDigits)}
          label="error reduction of the SAE residual (held-out rows)"
        />
      </Group>
    </svg>
  );
}
