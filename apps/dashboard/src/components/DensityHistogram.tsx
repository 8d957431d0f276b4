"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { formatLog10Tick } from "../lib/format";

export interface DensityBin {
  lo: number;
  hi: number;
  count: number;
}

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 16, bottom: 44, left: 48 };

/** Histogram of log10 feature density (dead features excluded), bars spanning each bin's [lo, hi). */
export function DensityHistogram({ bins }: { bins: readonly DensityBin[] }) {
  if (bins.length === 0) return <p className="muted">No live features, so there is no density histogram.</p>;
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear<number>({
    domain: [Math.min(...bins.map((bin) => bin.lo)), Math.max(...bins.map((bin) => bin.hi))],
    range: [0, innerWidth],
  });
  const maxCount = Math.max(1, ...bins.map((bin) => bin.count));
  const y = scaleLinear<number>({
    domain: [0, maxCount],
    range: [innerHeight, 0],
    nice: true,
  });
  return (
    <svg
      className="histogram"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label="Histogram of feature density on a log10 scale"
      data-testid="density-histogram"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        {bins.map((bin) => {
          const left = x(bin.lo);
          const width = Math.max(1, x(bin.hi) - left - 1);
          const top = y(bin.count);
          return (
            <Bar key={bin.lo} x={left} y={top} width={width} height={innerHeight - top} className="histogram-bar">
              <title>{`${formatLog10Tick(bin.lo)} to ${formatLog10Tick(bin.hi)}: ${bin.count} features`}</title>
            </Bar>
          );
        })}
        <AxisLeft
          scale={y}
          numTicks={Math.min(4, maxCount)}
          tickFormat={(value) => String(Math.round(Number(value)))}
          label="features"
          labelOffset={32}
        />
        <AxisBottom
          scale={x}
          top={innerHeight}
          numTicks={6}
          tickFormat={(value) => formatLog10Tick(Number(value))}
          label="density (fraction of tokens, log scale)"
        />
      </Group>
    </svg>
  );
}
