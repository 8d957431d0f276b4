/** "1h 02m", "3m 07s", "42s" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Digits grouped by thousands, e.g. 1,234,567. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
