import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Sql } from "../db/sql.js";
import {
  claimNextRun,
  finishRun,
  heartbeatRun,
  type RunOutcome,
  type RunRow,
  releaseRun,
  reportRunProgress,
  requeueStaleRuns,
} from "../features/run/run.repository.js";
import type { RunControls, RunExecutor } from "./executor.js";

export interface WorkerOptions {
  sql: Sql;
  executor: RunExecutor;
  /** Names this worker in the runs table (default: host-pid-random). */
  workerId?: string;
  /** How often an idle worker looks for queued runs (default 1 s). */
  pollIntervalMs?: number;
  /** How often a running run's heartbeat is written and its cancel flag read (default 5 s). */
  heartbeatMs?: number;
  /** A running run whose heartbeat is older than this was abandoned by a crashed worker (default 60 s). */
  staleAfterMs?: number;
  /** Abandoned runs fail after this many attempts instead of being re-queued (default 3). */
  maxAttempts?: number;
  log?: (message: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops polling; a run in progress is told to stop (isCancelled) and re-queued for another worker. */
  stop(): Promise<void>;
}

interface JobState {
  cancelRequested: boolean;
  lost: boolean;
}

export function defaultWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/**
 * Claims the oldest queued run and executes it to the end, with heartbeats.
 * Returns the finished (or released) run, or undefined when the queue was empty.
 */
export async function runNextJob(
  options: WorkerOptions & { workerId: string },
  shuttingDown: () => boolean = () => false,
): Promise<RunRow | undefined> {
  const { sql, workerId } = options;
  const run = await claimNextRun(sql, workerId);
  if (!run) return undefined;
  options.log?.(`run ${run.id} (${run.kind}) started, attempt ${run.attempts}`);
  const state: JobState = { cancelRequested: run.cancelRequested, lost: false };
  const note = (answer: { cancelRequested: boolean } | undefined) => {
    if (answer) state.cancelRequested = answer.cancelRequested;
    else state.lost = true;
  };
  const heartbeat = setInterval(() => {
    heartbeatRun(sql, run.id, workerId).then(note, (error: unknown) => {
      options.log?.(`run ${run.id}: heartbeat failed: ${(error as Error).message}`);
    });
  }, options.heartbeatMs ?? 5000);
  const controls: RunControls = {
    reportProgress: async (progress, message) => {
      note(await reportRunProgress(sql, run.id, workerId, progress, message ?? null));
    },
    isCancelled: () => state.cancelRequested || state.lost || shuttingDown(),
  };

  let outcome: RunOutcome | "release";
  try {
    const result = await options.executor(
      { id: run.id, kind: run.kind, params: run.params, attempts: run.attempts },
      controls,
    );
    note(await heartbeatRun(sql, run.id, workerId));
    if (result.studyId) outcome = { status: "succeeded", studyId: result.studyId };
    else if (state.cancelRequested) outcome = { status: "cancelled" };
    else outcome = shuttingDown() ? "release" : { status: "succeeded" };
  } catch (error) {
    note(await heartbeatRun(sql, run.id, workerId).catch(() => undefined));
    if (state.cancelRequested) outcome = { status: "cancelled" };
    else if (shuttingDown()) outcome = "release";
    else outcome = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearInterval(heartbeat);
  }
  if (outcome === "release") {
    options.log?.(`run ${run.id} re-queued: this worker is shutting down`);
    return releaseRun(sql, run.id, workerId);
  }
  const finished = await finishRun(sql, run.id, workerId, outcome);
  options.log?.(
    finished
      ? `run ${run.id} ${finished.status}${finished.error ? `: ${finished.error}` : ""}`
      : `run ${run.id} was taken from this worker (its heartbeat went stale); its result is discarded`,
  );
  return finished;
}

/** Starts a polling worker: re-queues crashed workers' runs, then executes queued runs one at a time. */
export function startWorker(options: WorkerOptions): RunningWorker {
  const workerId = options.workerId ?? defaultWorkerId();
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const policy = { staleAfterMs: options.staleAfterMs ?? 60_000, maxAttempts: options.maxAttempts ?? 3 };
  let stopping = false;
  let wake: (() => void) | undefined;

  const loop = async () => {
    while (!stopping) {
      let ran = false;
      try {
        const requeued = await requeueStaleRuns(options.sql, policy);
        if (requeued > 0) options.log?.(`re-queued or ended ${requeued} run(s) of workers that stopped responding`);
        ran = (await runNextJob({ ...options, workerId }, () => stopping)) !== undefined;
      } catch (error) {
        options.log?.(`worker ${workerId}: ${(error as Error).message}`);
      }
      if (!ran && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };
  const done = loop();
  return {
    workerId,
    stop: async () => {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
