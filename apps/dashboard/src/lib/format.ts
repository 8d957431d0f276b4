// Number formatting for metrics, densities and tokens.

const DASH = "—";

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Densities span several decades: percent above 1%, scientific notation below. */
export function formatDensity(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  if (value === 0) return "0";
  if (value >= 0.01) return formatPercent(value, 2);
  return value.toExponential(2);
}

export function formatCi95(interval: readonly number[] | null | undefined): string {
  if (interval?.length !== 2) return "no 95% CI";
  return `95% CI ${formatPercent(interval[0])} to ${formatPercent(interval[1])}`;
}

/** A 95% CI as "[lo, hi]" in percent, or a dash without one. */
export function formatPercentInterval(interval: readonly number[] | null | undefined, digits = 2): string {
  if (interval?.length !== 2) return DASH;
  return `[${formatPercent(interval[0], digits)}, ${formatPercent(interval[1], digits)}]`;
}

/** A log10 axis tick as a plain density: -3 → "0.001", 0 → "1", -2.5 → "0.0032". */
export function formatLog10Tick(exponent: number): string {
  return Number((10 ** exponent).toPrecision(2)).toString();
}

/** Tokens are shown verbatim, with line breaks and tabs made visible so an example stays on its lines. */
export function displayToken(token: string): string {
  return token.replaceAll("\n", "↵").replaceAll("\t", "⇥");
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").slice(0, 16);
}
