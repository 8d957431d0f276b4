/**
 * The one training loop every trainer runs (SAE, NFM and controls, joint fine-tuning): it owns the step iteration,
 * cancellation, the NaN/Inf guard, the learning-rate schedule, gradient clipping, the checkpoint cadence, progress
 * and yielding to the event loop. A trainer supplies `step(index, lr)`, which computes one batch's gradients and
 * hands them back pending, so the loop can check them before anything is updated.
 */
import { yieldToEventLoop } from "../progress/yield-to-event-loop.js";
import { clipScale } from "./clip.js";
import { type LrSchedule, lrAt } from "./schedule.js";

/** How a training run ended: all steps done, cancelled through its signal, stopped by a non-finite loss or
 *  gradient (the weights are then those of the last finite step), or ended by the trainer's own stop rule (early
 *  stopping on validation). */
export type TrainStopReason = "completed" | "aborted" | "non_finite" | "early_stopped";

/** Longest stretch of steps between two yields to the event loop, so a cancel (delivered as an event: a worker's
 *  abort signal) and progress listeners get to run soon after they arrive. */
const YIELD_AFTER_MS = 100;

/** One batch's gradients, computed and held until the loop applies or discards them. */
export interface PendingStep<P> {
  /** The batch's loss parts; the update is applied only when all of them and gradNorm are finite. */
  readonly losses: readonly number[];
  /** Global norm of the batch's gradients before clipping. */
  readonly gradNorm: number;
  /** Applies the gradients times `scale` (the clip factor) at the step's learning rate, does the step's
   *  bookkeeping and returns its progress record; `stepsPerSecond` is this run's rate so far. */
  apply(scale: number, stepsPerSecond: () => number): Promise<P> | P;
  /** Drops the gradients and whatever else the batch left pending (a non-finite step). */
  discard(): Promise<void> | void;
}

export interface TrainingCheckpoints {
  /** Steps between checkpoints (none in between when absent); the last step writes the final one instead. */
  every?: number;
  /** Saves the state after `completedSteps` steps; `final` when the run has completed. */
  save(completedSteps: number, final: boolean): Promise<void> | void;
}

export interface TrainingLoop<P> {
  /** Optimiser steps of the whole run. */
  steps: number;
  /** Steps already done (a resumed run's checkpoint; default 0). */
  startStep?: number;
  schedule: LrSchedule;
  /** Global gradient-norm clip (0 disables). */
  maxGradNorm: number;
  /** Computes the batch of step `index` (0-based) that will be applied at learning rate `lr`. */
  step(index: number, lr: number): Promise<PendingStep<P>> | PendingStep<P>;
  onProgress?: (progress: P) => void;
  /** Stops the run before the next step. */
  signal?: AbortSignal;
  /** Asked after every applied step: true ends the run there ("early_stopped"). */
  shouldStop?: (completedSteps: number) => Promise<boolean> | boolean;
  /** A factor on the schedule's learning rate, read before every step (reduce-on-plateau; default 1). */
  lrScale?: () => number;
  checkpoints?: TrainingCheckpoints;
}

export interface TrainingLoopResult<P> {
  stopReason: TrainStopReason;
  /** Steps completed, counting those before a resume. */
  steps: number;
  /** The last step's progress record (null when no step ran). */
  last: P | null;
}

/** Runs steps startStep..steps−1; writes the final checkpoint on completion unless the run resumed at its end. */
export async function runTrainingLoop<P>(loop: TrainingLoop<P>): Promise<TrainingLoopResult<P>> {
  const { steps, schedule, maxGradNorm, checkpoints } = loop;
  const startStep = loop.startStep ?? 0;
  const every = checkpoints?.every ?? 0;
  const started = performance.now();
  let stopReason: TrainStopReason = "completed";
  let last: P | null = null;
  let step = startStep;
  let lastYield = performance.now();
  for (; step < steps; step++) {
    if (loop.signal?.aborted) {
      stopReason = "aborted";
      break;
    }
    const lr = lrAt(step, schedule) * (loop.lrScale?.() ?? 1);
    const pending = await loop.step(step, lr);
    if (!(pending.losses.every(Number.isFinite) && Number.isFinite(pending.gradNorm))) {
      await pending.discard();
      stopReason = "non_finite";
      break;
    }
    const done = step + 1;
    last = await pending.apply(
      clipScale(pending.gradNorm, maxGradNorm),
      () => (done - startStep) / Math.max((performance.now() - started) / 1000, 1e-9),
    );
    loop.onProgress?.(last);
    if (every > 0 && done % every === 0 && done < steps) await checkpoints?.save(done, false);
    if (done < steps && (await loop.shouldStop?.(done))) {
      stopReason = "early_stopped";
      step = done;
      break;
    }
    if (performance.now() - lastYield >= YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  if (stopReason === "completed" && checkpoints && (step > startStep || startStep === 0)) {
    await checkpoints.save(step, true);
  }
  return { stopReason, steps: step, last };
}
