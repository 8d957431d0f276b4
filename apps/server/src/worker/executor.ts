import type { StoreResults } from "../features/run/run.repository.js";

/** What the worker hands an executor about the run it claimed. */
export interface ClaimedRun {
  id: string;
  /** One of RUN_KINDS, e.g. "study", whose params are StudyRunParams. */
  kind: string;
  params: Record<string, unknown>;
  /** 1 on the first try; more when a crashed worker's run was re-queued. */
  attempts: number;
}

export interface RunControls {
  /** Records progress (0..1, clamped), a message and the current stage for the dashboard. */
  reportProgress(progress: number, message?: string, stage?: string): Promise<void>;
  /** True once the run should stop: cancelled by a user, taken from this worker, or the worker is shutting down. */
  isCancelled(): boolean;
  /** Aborted as soon as isCancelled() becomes true; pass it into every long loop and download. */
  signal: AbortSignal;
}

/** What an executor hands back: how to store its results, run in the transaction that marks the run succeeded. */
export interface RunResult {
  store?: StoreResults;
}

/** Executes one run; resolves with how to store its results, throws to fail the run. */
export type RunExecutor = (run: ClaimedRun, controls: RunControls) => Promise<RunResult>;
