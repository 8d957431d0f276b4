/**
 * Statistics of the NFM embedding matrix V [d_sae × K]: per feature (rows) and per K-dimension (columns): L0, L1, L2,
 * max |v|, Gini and the entropy effective count; and the entropy effective rank of V itself (Roy & Vetterli 2007).
 */

export interface VectorStats {
  /** Entries with |v| > 1e-6 · max|V|. */
  l0: number;
  l1: number;
  l2: number;
  /** max |v|. */
  max: number;
  /** Gini coefficient of |v| (0 = spread evenly, → 1 = concentrated on one entry). */
  gini: number;
  /** exp(entropy of |v|/‖v‖₁): how many entries effectively carry the vector. */
  effectiveCount: number;
}

export interface EmbeddingStats {
  features: VectorStats[];
  dims: VectorStats[];
  /** exp(entropy of the normalised singular values of V). */
  effectiveRank: number;
  singularValues: number[];
}

export function vectorStats(values: ArrayLike<number>, zeroTolerance = 0): VectorStats {
  const n = values.length;
  const abs = Float64Array.from({ length: n }, (_, i) => Math.abs(values[i]!));
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let max = 0;
  for (const a of abs) {
    if (a > zeroTolerance) l0++;
    l1 += a;
    l2 += a * a;
    max = Math.max(max, a);
  }
  let entropy = 0;
  if (l1 > 0) {
    for (const a of abs) {
      const p = a / l1;
      if (p > 0) entropy -= p * Math.log(p);
    }
  }
  const sorted = abs.slice().sort();
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * sorted[i]!;
  const gini = l1 > 0 && n > 0 ? (2 * weighted) / (n * l1) - (n + 1) / n : 0;
  return { l0, l1, l2: Math.sqrt(l2), max, gini, effectiveCount: l1 > 0 ? Math.exp(entropy) : 0 };
}

/** Eigenvalues of a symmetric matrix [n × n] (row-major) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(matrix: Float64Array, n: number): number[] {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]!).sort((x, y) => y - x);
}

export function embeddingStats(v: Float32Array, dSae: number, k: number): EmbeddingStats {
  if (v.length !== dSae * k) throw new Error(`V has ${v.length} values, expected d_sae·K = ${dSae}·${k}.`);
  let maxAbs = 0;
  for (const x of v) maxAbs = Math.max(maxAbs, Math.abs(x));
  const tol = maxAbs * 1e-6;
  const features = Array.from({ length: dSae }, (_, i) => vectorStats(v.subarray(i * k, (i + 1) * k), tol));
  const dims = Array.from({ length: k }, (_, c) =>
    vectorStats(
      Float32Array.from({ length: dSae }, (_, i) => v[i * k + c]!),
      tol,
    ),
  );
  const gram = new Float64Array(k * k);
  for (let i = 0; i < dSae; i++) {
    for (let a = 0; a < k; a++) {
      const va = v[i * k + a]!;
      if (va === 0) continue;
      for (let b = a; b < k; b++) gram[a * k + b]! += va * v[i * k + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a]!;
  const singularValues = symmetricEigenvalues(gram, k).map((e) => Math.sqrt(Math.max(0, e)));
  const total = singularValues.reduce((s, x) => s + x, 0);
  let entropy = 0;
  for (const s of singularValues) {
    const p = s / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return { features, dims, effectiveRank: total > 0 ? Math.exp(entropy) : 0, singularValues };
}
