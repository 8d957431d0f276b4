export type { ClaimedRun, RunControls, RunExecutor, RunResult } from "./executor.js";
export { type StaleRunSweeper, startStaleRunSweeper } from "./stale-runs.js";
export {
  defaultWorkerId,
  type RunningWorker,
  runNextJob,
  stalePolicy,
  startWorker,
  type WorkerOptions,
} from "./worker.js";
