/**
 * Ordinary least squares through an orthonormal basis of the design's column space (modified Gram–Schmidt, run twice
 * for stability, in float64). Columns that add nothing to the span are dropped, so `rank` is the model's degrees of
 * freedom. Once built, fitting any response is two passes over the basis, which is what permutation tests need.
 */
export class ColumnSpace {
  /** Orthonormal columns, each of length n. */
  private readonly basis: Float64Array[] = [];

  constructor(
    readonly n: number,
    columns: readonly Float64Array[],
  ) {
    for (const column of columns) {
      if (column.length !== n) throw new Error(`a design column has ${column.length} rows; the data has ${n}.`);
      const v = Float64Array.from(column);
      const scale = Math.sqrt(dot(v, v));
      if (scale === 0) continue;
      for (let pass = 0; pass < 2; pass++) for (const q of this.basis) axpy(-dot(q, v), q, v);
      const norm = Math.sqrt(dot(v, v));
      if (norm <= 1e-10 * scale) continue;
      for (let i = 0; i < n; i++) v[i]! /= norm;
      this.basis.push(v);
    }
  }

  get rank(): number {
    return this.basis.length;
  }

  /** Fitted values of y (its projection on the column space), written into `out`. */
  fitted(y: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    out.fill(0);
    for (const q of this.basis) axpy(dot(q, y), q, out);
    return out;
  }

  /** Residual sum of squares of y. */
  rss(y: ArrayLike<number>, scratch: Float64Array = new Float64Array(this.n)): number {
    const fit = this.fitted(y, scratch);
    let sum = 0;
    for (let i = 0; i < this.n; i++) {
      const r = y[i]! - fit[i]!;
      sum += r * r;
    }
    return sum;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}
