/** A snapshot of long work: what is done, how fast, how long is left. Plain data: safe to send to a job table. */
export interface ProgressEvent {
  /** What is being done, e.g. "harvest". */
  label: string;
  done: number;
  total: number;
  /** Unit of `done` and `total`, e.g. "tokens". */
  unit: string;
  /** Units per second over the work done in this run (a resumed run does not count the resumed part). */
  ratePerSecond: number;
  /** Seconds left at the current rate, or null before any rate is known. */
  etaSeconds: number | null;
  elapsedSeconds: number;
  finished: boolean;
}

export type ProgressCallback = (event: ProgressEvent) => void;
