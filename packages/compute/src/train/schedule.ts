/**
 * Learning-rate and coefficient schedules as SAELens uses them: linear warm-up, a constant phase, and a linear decay
 * to `lrEnd` over the final `decaySteps`. Pure functions of the step, so a resumed run follows the same schedule.
 */
export interface LrSchedule {
  lr: number;
  /** Steps of linear warm-up from 0 (default 0). */
  warmupSteps?: number;
  /** Steps of linear decay at the end of training (default 0: no decay). */
  decaySteps?: number;
  /** Learning rate reached at the last step when decaying (default lr / 10). */
  lrEnd?: number;
  totalSteps: number;
}

/** The schedule options every trainer takes (the defaults of the peak rate are each trainer's own). */
export interface ScheduleOptions {
  /** Peak learning rate. */
  lr?: number;
  /** Steps of linear warm-up (default 0). */
  lrWarmupSteps?: number;
  /** Linear decay over the final steps to lrEnd (default 20% of steps; none when the run stops early on validation,
   *  where reduce-on-plateau lowers the rate and the step count is a cap, not a schedule). */
  lrDecaySteps?: number;
  /** Learning rate at the last step (default lr / 10). */
  lrEnd?: number;
}

/**
 * The learning-rate schedule that ScheduleOptions describe over `steps`, with a trainer's own default peak rate.
 * `stopsOnPlateau`: the run stops early on validation. A decay tied to the step budget would then keep improving the
 * objective until the budget ends, whatever the run's convergence, so by default it has none.
 */
export function scheduleOf(
  options: ScheduleOptions,
  steps: number,
  defaultLr: number,
  stopsOnPlateau = false,
): LrSchedule {
  return {
    lr: options.lr ?? defaultLr,
    warmupSteps: options.lrWarmupSteps ?? 0,
    decaySteps: options.lrDecaySteps ?? (stopsOnPlateau ? 0 : Math.floor(steps * 0.2)),
    ...(options.lrEnd !== undefined ? { lrEnd: options.lrEnd } : {}),
    totalSteps: steps,
  };
}

export function lrAt(step: number, s: LrSchedule): number {
  const warmup = s.warmupSteps ?? 0;
  const decay = s.decaySteps ?? 0;
  const lrEnd = s.lrEnd ?? s.lr / 10;
  if (warmup > 0 && step < warmup) return (s.lr * (step + 1)) / warmup;
  const decayStart = s.totalSteps - decay;
  if (decay > 0 && step >= decayStart) {
    const progress = Math.min(1, (step - decayStart + 1) / decay);
    return s.lr + (lrEnd - s.lr) * progress;
  }
  return s.lr;
}

/** A coefficient (e.g. the L1 penalty λ) warmed up linearly from 0 over `warmupSteps`. */
export function warmedUp(value: number, step: number, warmupSteps: number): number {
  if (warmupSteps <= 0 || step >= warmupSteps) return value;
  return (value * (step + 1)) / warmupSteps;
}
