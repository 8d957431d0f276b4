"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { formatStat } from "../lib/stimulus-results";

const WIDTH = 520;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 44, left: 64 };
const CELLS = ["a0b0", "a0b1", "a1b0", "a1b1"];

/** Every prompt's value of the measure, one column of dots per cell (spread sideways so equal values stay visible). */
export function CellDistributions({
  values,
  prompts,
  measure,
}: {
  values: readonly (number | null)[];
  prompts: readonly { cell: string; prompt: string }[];
  measure: string;
}) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const y = scaleLinear<number>({
    domain: lo === hi ? [lo - 1, hi + 1] : [lo, hi],
    range: [innerHeight, 0],
    nice: true,
  });
  const x = scaleBand<string>({ domain: CELLS, range: [0, innerWidth], padding: 0.3 });
  const seen = new Map<string, number>();
  return (
    <svg
      className="stimulus-plot"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Per-prompt values of ${measure} in each cell`}
      data-testid="cell-distributions"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        {prompts.map((p, i) => {
          const value = values[i];
          if (value === null || value === undefined || !Number.isFinite(value)) return null;
          const k = seen.get(p.cell) ?? 0;
          seen.set(p.cell, k + 1);
          const band = x(p.cell) ?? 0;
          const jitter = ((k % 7) - 3) * (x.bandwidth() / 8);
          return (
            <circle
              key={`${p.cell}-${k}-${p.prompt}`}
              cx={band + x.bandwidth() / 2 + jitter}
              cy={y(value)}
              r={3.5}
              className="stimulus-dot"
              data-testid="prompt-dot"
            >
              <title>{`${p.cell}: ${formatStat(value)} — ${p.prompt}`}</title>
            </circle>
          );
        })}
        <AxisLeft scale={y} numTicks={5} label={measure} />
        <AxisBottom scale={x} top={innerHeight} label="cell (a = factor A, b = factor B; 1 = present)" />
      </Group>
    </svg>
  );
}
