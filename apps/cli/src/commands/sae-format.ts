/** Text shared by the `interlace sae` commands: the training progress line and the metrics table. */
import type { SaeMetrics, SaeTrainingProgress } from "@interlace/compute/sae";

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function trainingLine(p: SaeTrainingProgress): string {
  const dead = p.deadFraction === null ? "dead –" : `dead ${fixed(100 * p.deadFraction, 1)}%`;
  return [
    `step ${p.step}/${p.totalSteps}`,
    `loss ${fixed(p.loss, 4)}`,
    `mse ${fixed(p.mse, 4)}`,
    `L0 ${fixed(p.l0, 1)}`,
    dead,
    `lr ${p.lr.toExponential(2)}`,
    `${Math.round(p.rowsPerSecond).toLocaleString("en-US")} rows/s`,
  ].join("  ");
}

/** SAELens-named scalar metrics, one per line (per-feature arrays left out). */
export function metricLines(metrics: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === "number")
      lines.push(`  ${name.padEnd(24)} ${Number.isInteger(value) ? value : value.toPrecision(5)}`);
  }
  return `${lines.join("\n")}\n`;
}

export function formatMetrics(metrics: SaeMetrics): string {
  return `held-out metrics (${metrics.rows} rows):\n${metricLines({ ...metrics })}`;
}
