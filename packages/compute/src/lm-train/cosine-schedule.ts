/**
 * Learning rate as a function of training progress p ∈ [0, 1]: linear warm-up over the first `warmup` fraction,
 * then cosine decay from `lr` to `lrEnd`. Progress rather than the step, so a time-budgeted run (whose step count
 * is not known in advance) follows the same curve.
 */
export interface CosineSchedule {
  lr: number;
  lrEnd: number;
  /** Fraction of training spent warming up, in [0, 1). */
  warmup: number;
}

export function cosineLr(progress: number, s: CosineSchedule): number {
  const p = Math.min(1, Math.max(0, progress));
  if (p < s.warmup) return (s.lr * p) / s.warmup;
  const decay = s.warmup < 1 ? (p - s.warmup) / (1 - s.warmup) : 1;
  return s.lrEnd + 0.5 * (s.lr - s.lrEnd) * (1 + Math.cos(Math.PI * decay));
}
