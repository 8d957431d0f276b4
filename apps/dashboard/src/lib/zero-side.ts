// Where a 95% CI lies relative to 0, for the tables of paired differences.

export type ZeroSide = "above" | "below" | "includes";

/** Wholly above 0, wholly below, or across it; null without a [lo, hi] CI. */
export function zeroSide(ci95: readonly number[] | null): ZeroSide | null {
  const [lo, hi] = ci95?.length === 2 ? ci95 : [];
  if (lo === undefined || hi === undefined) return null;
  if (lo > 0) return "above";
  if (hi < 0) return "below";
  return "includes";
}

/** Whether a CI excludes 0, in words. */
export function describeZeroSide(side: ZeroSide | null): string {
  if (side === null) return "no CI";
  if (side === "includes") return "no";
  return side === "above" ? "yes, above 0" : "yes, below 0";
}
