/** The k largest entries of a vector (ties by lower index first), without sorting the whole vector. */
export function topK(values: ArrayLike<number>, k: number, skip = -1): { index: number; value: number }[] {
  const out: { index: number; value: number }[] = [];
  if (k <= 0) return out;
  for (let i = 0; i < values.length; i++) {
    if (i === skip) continue;
    const v = values[i]!;
    if (out.length === k && !(v > out[k - 1]!.value)) continue;
    let at = out.length < k ? out.length : k - 1;
    while (at > 0 && v > out[at - 1]!.value) at--;
    out.splice(at, 0, { index: i, value: v });
    if (out.length > k) out.pop();
  }
  return out;
}

/** The k smallest entries (ties by lower index first). */
export function bottomK(values: ArrayLike<number>, k: number): { index: number; value: number }[] {
  const negated = { length: values.length } as { length: number; [i: number]: number };
  for (let i = 0; i < values.length; i++) negated[i] = -values[i]!;
  return topK(negated, k).map(({ index, value }) => ({ index, value: -value }));
}
