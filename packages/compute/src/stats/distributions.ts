/**
 * The F and t distributions the statistics need, from @stdlib (maintained, tested special functions): the F upper
 * tail through the regularized incomplete beta function (exact in the tail, where 1 − CDF would lose digits), the t
 * quantile for confidence intervals.
 */
import betainc from "@stdlib/math-base-special-betainc";
import tQuantileOf from "@stdlib/stats-base-dists-t-quantile";

/** P(F > f) for F with (d1, d2) degrees of freedom. */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(d1 > 0 && d2 > 0)) throw new Error(`F degrees of freedom must be positive, got (${d1}, ${d2}).`);
  if (Number.isNaN(f)) return Number.NaN;
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new Error(`t degrees of freedom must be positive, got ${df}.`);
  return tQuantileOf(p, df);
}
