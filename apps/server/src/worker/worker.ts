import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Sql } from "../db/sql.js";
import {
  claimNextRun,
  completeRun,
  finishRun,
  type RunOutcome,
  type RunRow,
  releaseRun,
  reportRunProgress,
  type StoreResults,
} from "../features/run/run.repository.js";
import type { RunControls, RunExecutor } from "./executor.js";
import { startHeartbeat } from "./heartbeat.js";
import { type StaleRunPolicy, startStaleRunSweeper } from "./stale-runs.js";

export interface WorkerOptions {
  sql: Sql;
  executor: RunExecutor;
  /** Names this worker in the runs table (default: host-pid-random). */
  workerId?: string;
  /** How often an idle worker looks for queued runs (default 1 s). */
  pollIntervalMs?: number;
  /** How often a running run's heartbeat is written and its cancel flag read (default 2 s). */
  heartbeatMs?: number;
  /**
   * The database URL the heartbeat thread connects to: the heartbeat then runs off this thread, so a long compute
   * step never makes the run look dead. Without it the heartbeat is a timer on this thread.
   */
  heartbeatUrl?: string;
  /** A running run whose heartbeat is older than this was abandoned by a crashed worker (default 60 s). */
  staleAfterMs?: number;
  /** Abandoned runs fail after this many attempts instead of being re-queued (default 3). */
  maxAttempts?: number;
  log?: (message: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops polling; a run in progress is told to stop (isCancelled, signal) and re-queued for another worker. */
  stop(): Promise<void>;
}

export function defaultWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** The stale-run policy of a worker's options, with its defaults. */
export function stalePolicy(options: Pick<WorkerOptions, "staleAfterMs" | "maxAttempts">): StaleRunPolicy {
  return { staleAfterMs: options.staleAfterMs ?? 60_000, maxAttempts: options.maxAttempts ?? 3 };
}

/** Errors of a connection that broke (a database restart, a network cut), as opposed to errors of the statement. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "CONNECTION_ENDED", "CONNECTION_DESTROYED"].includes(code) ||
      code === "CONNECT_TIMEOUT" ||
      code.startsWith("57P") ||
      code.startsWith("08"))
  );
}

/**
 * Runs `attempt` (one transaction) again while the database connection is lost, for up to `patienceMs`: a run's
 * finished results survive a database restart. A retry after a commit whose answer was lost finds the run no longer
 * running and stores nothing twice.
 */
async function whileDatabaseReturns<T>(
  attempt: () => Promise<T>,
  log: (message: string) => void,
  patienceMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() > deadline) throw error;
      log(`the database did not answer (${(error as Error).message}); trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Claims the oldest queued run and executes it to the end, with heartbeats. Its results are stored in the
 * transaction that marks it succeeded, only while this worker still holds it. Returns the finished (or released)
 * run, or undefined when the queue was empty or the run was taken from this worker.
 */
export async function runNextJob(
  options: WorkerOptions & { workerId: string },
  shutdown: AbortSignal = new AbortController().signal,
): Promise<RunRow | undefined> {
  const { sql, workerId } = options;
  const run = await claimNextRun(sql, workerId);
  if (!run) return undefined;
  options.log?.(`run ${run.id} (${run.kind}) started, attempt ${run.attempts}`);
  const abort = new AbortController();
  const stop = (reason: string) => {
    if (!abort.signal.aborted) abort.abort(new Error(reason));
  };
  const heartbeat = startHeartbeat({
    runId: run.id,
    workerId,
    intervalMs: options.heartbeatMs ?? 2000,
    url: options.heartbeatUrl,
    sql,
    onMessage: (message) => {
      if (message.kind === "cancel-requested") stop("the run was cancelled");
      else if (message.kind === "lost") stop("the run was taken from this worker");
      else options.log?.(`run ${run.id}: heartbeat failed: ${message.message}`);
    },
  });
  if (run.cancelRequested) heartbeat.note({ cancelRequested: true });
  const onShutdown = () => stop("the worker is shutting down");
  shutdown.addEventListener("abort", onShutdown);
  if (shutdown.aborted) onShutdown();
  // Reports are written one after another, in the order they were made (concurrent updates of the row could land
  // out of order on a busy database and scramble the log tail).
  let reported: Promise<unknown> = Promise.resolve();
  const controls: RunControls = {
    reportProgress: (progress, message, stage) => {
      const report = reported.then(async () => {
        heartbeat.note(await reportRunProgress(sql, run.id, workerId, { progress, message: message ?? null, stage }));
      });
      reported = report.catch(() => undefined);
      return report;
    },
    isCancelled: () => heartbeat.cancelRequested() || heartbeat.lost() || shutdown.aborted,
    signal: abort.signal,
  };

  let outcome: RunOutcome | "release" | { store: StoreResults | undefined };
  try {
    const result = await options.executor(
      { id: run.id, kind: run.kind, params: run.params, attempts: run.attempts },
      controls,
    );
    if (result.store) outcome = { store: result.store };
    else if (heartbeat.cancelRequested()) outcome = { status: "cancelled" };
    else outcome = shutdown.aborted ? "release" : { store: undefined };
  } catch (error) {
    if (heartbeat.cancelRequested()) outcome = { status: "cancelled" };
    else if (shutdown.aborted) outcome = "release";
    else outcome = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  } finally {
    shutdown.removeEventListener("abort", onShutdown);
    await heartbeat.stop();
  }
  if (outcome === "release") {
    options.log?.(`run ${run.id} re-queued: this worker is shutting down`);
    return releaseRun(sql, run.id, workerId);
  }
  const ending = outcome;
  const finished = await whileDatabaseReturns(
    () =>
      "store" in ending ? completeRun(sql, run.id, workerId, ending.store) : finishRun(sql, run.id, workerId, ending),
    (message) => options.log?.(`run ${run.id}: ${message}`),
  );
  options.log?.(
    finished
      ? `run ${run.id} ${finished.status}${finished.error ? `: ${finished.error}` : ""}`
      : `run ${run.id} was taken from this worker (its heartbeat went stale or it was cancelled); its results are discarded`,
  );
  return finished;
}

/**
 * Starts a polling worker that executes queued runs one at a time, and re-queues crashed workers' runs on a timer
 * (startStaleRunSweeper).
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const workerId = options.workerId ?? defaultWorkerId();
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const policy = stalePolicy(options);
  const sweeper = startStaleRunSweeper(options.sql, policy, {
    intervalMs: Math.min(policy.staleAfterMs, 10_000),
    ...(options.log ? { log: options.log } : {}),
  });
  const shutdown = new AbortController();
  let wake: (() => void) | undefined;

  const loop = async () => {
    while (!shutdown.signal.aborted) {
      let ran = false;
      try {
        await sweeper.sweep();
        ran = (await runNextJob({ ...options, workerId }, shutdown.signal)) !== undefined;
      } catch (error) {
        options.log?.(`worker ${workerId}: ${(error as Error).message}`);
      }
      if (!ran && !shutdown.signal.aborted) {
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
      shutdown.abort();
      wake?.();
      await done;
      sweeper.stop();
    },
  };
}
