"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Line, LinePath } from "@visx/shape";
import type { ChartCell } from "../lib/stimulus-results";
import { formatStat } from "../lib/stimulus-results";

const WIDTH = 520;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 120, bottom: 44, left: 64 };
const CAP = 5;

export interface FactorNames {
  a: { name: string; levels: [string, string] };
  b: { name: string; levels: [string, string] };
}

function extent(cells: readonly ChartCell[], values: readonly (number | null)[]): [number, number] {
  const all = [...cells.flatMap((c) => [c.mean, ...c.ci95]), ...values].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  if (all.length === 0) return [0, 1];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/**
 * The interaction plot: the measure's cell means with 95% CI bars, A's levels along x, one line per level of B.
 * Parallel lines mean no interaction; the contrast is how far they are from parallel.
 */
export function InteractionPlot({
  cells,
  names,
  measure,
}: {
  cells: readonly ChartCell[];
  names: FactorNames;
  measure: string;
}) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = scaleLinear<number>({ domain: extent(cells, []), range: [innerHeight, 0], nice: true });
  const x = scaleLinear<number>({ domain: [-0.3, 1.3], range: [0, innerWidth] });
  const byCell = new Map(cells.map((c) => [c.cell, c]));
  const series = [0, 1].map((b) => ({
    b,
    offset: b === 0 ? -0.04 : 0.04,
    points: [0, 1].map((a) => byCell.get(`a${a}b${b}`)).filter((c): c is ChartCell => c !== undefined),
  }));
  const summary = `Interaction plot of ${measure}: ${cells
    .map((c) => `${c.cell} mean ${formatStat(c.mean)}`)
    .join(", ")}.`;
  return (
    <svg
      className="stimulus-plot"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={summary}
      data-testid="interaction-plot"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        {series.map(({ b, offset, points }) => (
          <g key={b} className={`stimulus-series stimulus-series-b${b}`} data-testid={`series-b${b}`}>
            <LinePath
              data={points}
              x={(c) => x(Number(c.cell[1]) + offset)}
              y={(c) => y(c.mean ?? 0)}
              className="stimulus-line"
            />
            {points.map((c) => {
              const cx = x(Number(c.cell[1]) + offset);
              const [lo, hi] = c.ci95;
              return (
                <g key={c.cell} data-testid="cell-mark" data-cell={c.cell}>
                  <title>{`${c.cell}: mean ${formatStat(c.mean)}, 95% CI [${formatStat(lo)}, ${formatStat(hi)}], n ${c.n}`}</title>
                  {lo !== null && lo !== undefined && hi !== null && hi !== undefined ? (
                    <>
                      <Line from={{ x: cx, y: y(lo) }} to={{ x: cx, y: y(hi) }} className="stimulus-interval" />
                      <Line
                        from={{ x: cx - CAP, y: y(lo) }}
                        to={{ x: cx + CAP, y: y(lo) }}
                        className="stimulus-interval"
                      />
                      <Line
                        from={{ x: cx - CAP, y: y(hi) }}
                        to={{ x: cx + CAP, y: y(hi) }}
                        className="stimulus-interval"
                      />
                    </>
                  ) : null}
                  <circle cx={cx} cy={y(c.mean ?? 0)} r={5} className="stimulus-point" />
                </g>
              );
            })}
            <g transform={`translate(${innerWidth + 12}, ${8 + b * 20})`}>
              <Line from={{ x: 0, y: 0 }} to={{ x: 18, y: 0 }} className="stimulus-line" />
              <circle cx={9} cy={0} r={3.5} className="stimulus-point" />
              <text x={24} y={0} dy="0.32em" className="stimulus-legend">
                {names.b.levels[b]}
              </text>
            </g>
          </g>
        ))}
        <text x={innerWidth + 12} y={-4} className="stimulus-legend stimulus-legend-title">
          {names.b.name}
        </text>
        <AxisLeft scale={y} numTicks={5} label={measure} />
        <AxisBottom
          scale={x}
          top={innerHeight}
          tickValues={[0, 1]}
          tickFormat={(v) => names.a.levels[Number(v)] ?? ""}
          label={names.a.name}
        />
      </Group>
    </svg>
  );
}
