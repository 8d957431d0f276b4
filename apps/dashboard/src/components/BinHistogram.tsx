"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";

export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

const WIDTH = 520;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 18, bottom: 46, left: 56 };

/** A histogram of equal-width bins (bars spanning [lo, hi]), scaled to its panel's width. */
export function BinHistogram({
  bins,
  label,
  xLabel,
  countLabel,
  testId,
  formatTick = (value) => value.toPrecision(3),
}: {
  bins: readonly Bin[];
  /** The figure's accessible name. */
  label: string;
  xLabel: string;
  /** What a count counts, e.g. "tokens". */
  countLabel: string;
  testId: string;
  formatTick?: (value: number) => string;
}) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const lo = Math.min(...bins.map((bin) => bin.lo));
  const hi = Math.max(...bins.map((bin) => bin.hi));
  const x = scaleLinear<number>({ domain: [lo, hi > lo ? hi : lo + 1], range: [0, innerWidth] });
  const maxCount = Math.max(1, ...bins.map((bin) => bin.count));
  const y = scaleLinear<number>({ domain: [0, maxCount], range: [innerHeight, 0], nice: true });
  return (
    <svg className="histogram" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid={testId}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {bins.map((bin, position) => {
          const left = x(bin.lo);
          const width = Math.max(1, x(bin.hi) - left - 1);
          const top = y(bin.count);
          return (
            <Bar
              // biome-ignore lint/suspicious/noArrayIndexKey: bins are ordered; their position is their identity
              key={position}
              x={left}
              y={top}
              width={width}
              height={innerHeight - top}
              className="histogram-bar"
            >
              <title>{`${formatTick(bin.lo)} to ${formatTick(bin.hi)}: ${bin.count} ${countLabel}`}</title>
            </Bar>
          );
        })}
        <AxisLeft
          scale={y}
          numTicks={Math.min(4, maxCount)}
          tickFormat={(value) => Math.round(Number(value)).toLocaleString("en-US")}
          label={countLabel}
          labelOffset={36}
        />
        <AxisBottom
          scale={x}
          top={innerHeight}
          numTicks={6}
          tickFormat={(value) => formatTick(Number(value))}
          label={xLabel}
        />
      </Group>
    </svg>
  );
}
