import type { ProgressCallback, ProgressEvent } from "./types.js";

export interface ProgressTrackerOptions {
  label: string;
  total: number;
  unit: string;
  onProgress?: ProgressCallback;
  /** Work already done before this run (a resumed job); excluded from the rate. */
  startDone?: number;
  /** Minimum time between reports, except the final one (default 200 ms). */
  minIntervalMs?: number;
  /** Clock in milliseconds (default performance.now); injectable for tests. */
  now?: () => number;
}

/** Turns `update(done)` calls into throttled ProgressEvents with rate and ETA. */
export class ProgressTracker {
  private readonly started: number;
  private readonly startDone: number;
  private lastReport = Number.NEGATIVE_INFINITY;
  private done: number;

  constructor(private readonly options: ProgressTrackerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.startDone = options.startDone ?? 0;
    this.done = this.startDone;
  }

  private readonly now: () => number;

  /** The snapshot at this moment. */
  snapshot(finished = false): ProgressEvent {
    const elapsedSeconds = (this.now() - this.started) / 1000;
    const progressed = this.done - this.startDone;
    const ratePerSecond = elapsedSeconds > 0 ? progressed / elapsedSeconds : 0;
    const remaining = Math.max(0, this.options.total - this.done);
    return {
      label: this.options.label,
      done: this.done,
      total: this.options.total,
      unit: this.options.unit,
      ratePerSecond,
      etaSeconds: finished ? 0 : ratePerSecond > 0 ? remaining / ratePerSecond : null,
      elapsedSeconds,
      finished,
    };
  }

  update(done: number): void {
    this.done = done;
    const t = this.now();
    if (t - this.lastReport < (this.options.minIntervalMs ?? 200)) return;
    this.lastReport = t;
    this.options.onProgress?.(this.snapshot());
  }

  finish(): ProgressEvent {
    const event = this.snapshot(true);
    this.options.onProgress?.(event);
    return event;
  }
}
