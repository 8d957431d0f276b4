/**
 * Shuffled passes over training rows: each epoch visits every row once in a seeded random order, and the position
 * (order and cursor) can be saved and restored so a resumed run sees the same batches.
 */
import { permutation, type Rng } from "../stats/rng.js";
import type { ScheduleOptions } from "./schedule.js";

export class RowSampler {
  constructor(
    private readonly count: number,
    /** Positions 0..count-1 in this epoch's order. */
    public order: Int32Array,
    public cursor = 0,
  ) {}

  /** A sampler over `count` rows whose first epoch order is drawn from `rng`. */
  static shuffled(count: number, rng: Rng): RowSampler {
    return new RowSampler(count, permutation(count, rng));
  }

  /** Fills `out` with the next positions, drawing a new order from `rng` at the end of each epoch. */
  next(out: Int32Array, rng: Rng): Int32Array {
    for (let b = 0; b < out.length; b++) {
      if (this.cursor === this.order.length) {
        this.order = permutation(this.count, rng);
        this.cursor = 0;
      }
      out[b] = this.order[this.cursor++]!;
    }
    return out;
  }
}

/** Options every trainer over rows shares (defaults are each trainer's own). */
export interface RowTrainingOptions extends ScheduleOptions {
  /** Rows to train on (default all). */
  trainRows?: Int32Array;
  /** Optimiser steps. */
  steps?: number;
  /** Rows per step (default 1024). */
  batchSize?: number;
  /** Global gradient-norm clip (0 disables). */
  maxGradNorm?: number;
  /** Seed of initialisation, batch order and dropout (default 0). */
  seed?: number;
}
