/** What the worker hands an executor about the run it claimed. */
export interface ClaimedRun {
  id: string;
  /** e.g. "study" (STUDY_RUN_KIND), whose params are StudyRunParams. */
  kind: string;
  params: Record<string, unknown>;
  /** 1 on the first try; more when a crashed worker's run was re-queued. */
  attempts: number;
}

export interface RunControls {
  /** Records progress (0..1, clamped) and a message for the dashboard; also a heartbeat. */
  reportProgress(progress: number, message?: string): Promise<void>;
  /** True once the run should stop: cancelled by a user, taken from this worker, or the worker is shutting down. */
  isCancelled(): boolean;
}

/** Executes one run; resolves with the study it stored (if any), throws to fail the run. */
export type RunExecutor = (run: ClaimedRun, controls: RunControls) => Promise<{ studyId?: string }>;
