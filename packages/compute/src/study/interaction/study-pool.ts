/**
 * Runs the interaction study's jobs on worker threads, one job per worker at a time. With tfjs-wasm each worker uses
 * one core, so two workers on two cores train two models at once. The rows are shared (SharedArrayBuffer), not
 * copied (the study allocates them in shared memory from the start); every job is deterministic given its seed, so results equal those of running the jobs in this thread.
 */
import type { Worker } from "node:worker_threads";
import { ResidualModel } from "../../nfm/model.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import { shared } from "../../workers/shared-arrays.js";
import { startWorkers, type WorkerThreads, workerEntry } from "../../workers/start-workers.js";
import {
  type JobSchedule,
  jobReady,
  StudyCancelled,
  type StudyJob,
  type StudyJobResult,
  scheduledJob,
} from "./study-jobs.js";
import type { StudyWorkerData, StudyWorkerReply, StudyWorkerRequest } from "./study-worker.js";

export interface PoolCallbacks {
  onStep?: (job: number, step: number, steps: number) => void;
  onDone?: (job: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs `jobs` on up to `threads.count` workers; resolves with results in job order. A free worker takes the first job
 * not yet started whose dependency (`schedule`) has finished, and waits when none has.
 */
export async function runJobsInWorkers(
  jobs: readonly StudyJob[],
  rows: {
    data: ResidualData;
    dataNl: ResidualData;
    trainRows: Int32Array;
    validationRows: Int32Array;
    heldOutRows: Int32Array;
  },
  threads: WorkerThreads,
  callbacks: PoolCallbacks = {},
  schedule?: JobSchedule,
): Promise<StudyJobResult[]> {
  const { f, x, r } = rows.data.parts;
  const data: StudyWorkerData = {
    f: { offsets: shared(f.offsets), index: shared(f.index), value: shared(f.value) },
    x: shared(x),
    r: shared(r),
    shiftNl: rows.dataNl.parts.shift,
    dSae: rows.data.dSae,
    dIn: rows.data.dIn,
    trainRows: shared(rows.trainRows),
    validationRows: shared(rows.validationRows),
    heldOutRows: shared(rows.heldOutRows),
  };
  const { workers } = await startWorkers(
    workerEntry(import.meta.url, "study-worker"),
    { count: Math.max(1, Math.min(threads.count, jobs.length)), backend: threads.backend },
    data,
    (reason) => new Error(`interaction study worker failed to start: ${reason}`),
  );
  const results: (StudyJobResult | undefined)[] = new Array(jobs.length);
  const started = new Array<boolean>(jobs.length).fill(false);
  let startedCount = 0;
  /** Workers waiting for a job whose dependency is still running: each is woken when any job finishes. */
  const waiting = new Set<() => void>();
  const abort = () => {
    for (const worker of workers) worker.postMessage({ type: "abort" } satisfies StudyWorkerRequest);
  };
  callbacks.signal?.addEventListener("abort", abort);
  const runOn = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const start = () => {
        waiting.delete(start);
        if (startedCount === jobs.length || callbacks.signal?.aborted) {
          worker.off("message", onMessage);
          resolve();
          return;
        }
        const id = started.findIndex((done, i) => !done && jobReady(schedule, results, i));
        if (id < 0) {
          waiting.add(start);
          return;
        }
        started[id] = true;
        startedCount++;
        const job = scheduledJob(jobs, schedule, results, id);
        worker.postMessage({ type: "run", id, job } satisfies StudyWorkerRequest);
      };
      const onMessage = (reply: StudyWorkerReply) => {
        if ("step" in reply) callbacks.onStep?.(reply.id, reply.step, reply.steps);
        else if ("error" in reply) {
          worker.off("message", onMessage);
          reject(reply.cancelled ? new StudyCancelled() : new Error(reply.error));
        } else {
          const { residual, total, parameters, l0, fit, model } = reply.result;
          results[reply.id] = {
            rows: { residual, total },
            parameters,
            l0,
            fit,
            model: model ? ResidualModel.fromState(model) : null,
          };
          callbacks.onDone?.(reply.id);
          start();
          for (const wake of [...waiting]) wake();
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      start();
    });
  try {
    await Promise.all(workers.map(runOn));
    if (callbacks.signal?.aborted) throw new StudyCancelled();
    return results.map((result, i) => {
      if (!result) throw new Error(`interaction study job ${i} produced no result.`);
      return result;
    });
  } catch (error) {
    abort();
    for (const result of results) result?.model?.dispose();
    throw error;
  } finally {
    callbacks.signal?.removeEventListener("abort", abort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
