"use client";

import type { ModelFitFieldsFragment } from "@interlace/schema";
import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { fitCurvePoints } from "../lib/model-fit";

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 3;

/** A model's validation ER along its fit as a sparkline (by epoch, or by λ candidate for a closed-form fit). */
export function FitCurve({ model }: { model: Pick<ModelFitFieldsFragment, "name" | "fit" | "curve"> }) {
  const points = fitCurvePoints(model);
  if (points.length < 2) return null;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = scaleLinear<number>({ domain: [Math.min(...xs), Math.max(...xs)], range: [PAD, WIDTH - PAD] });
  const low = Math.min(...ys);
  const high = Math.max(...ys);
  const y = scaleLinear<number>({ domain: [low, high > low ? high : low + 1e-9], range: [HEIGHT - PAD, PAD] });
  const best = points.reduce((a, b) => (b.y > a.y ? b : a));
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="fit-curve"
      role="img"
      aria-label={`${model.name}: validation ER along the fit, best ${(best.y * 100).toFixed(2)}%`}
      data-testid="fit-curve"
    >
      <LinePath data={points} x={(p) => x(p.x)} y={(p) => y(p.y)} className="fit-curve-line" />
      <circle cx={x(best.x)} cy={y(best.y)} r={2.5} className="fit-curve-best" />
    </svg>
  );
}
