/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} p_(j) · m / j over the sorted p-values, capped
 * at 1. NaN p-values (untestable measures) stay NaN and do not count toward m.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const q = new Float64Array(p.length).fill(Number.NaN);
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const value = p[i]!;
    if (Number.isNaN(value)) continue;
    if (value < 0 || value > 1) throw new Error(`p-value ${i} is ${value}; p-values lie in [0, 1].`);
    order.push(i);
  }
  order.sort((x, y) => p[x]! - p[y]!);
  const m = order.length;
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (p[i]! * m) / rank);
    q[i] = running;
  }
  return q;
}
