export type { ClaimedRun, RunControls, RunExecutor } from "./executor.js";
export { defaultWorkerId, type RunningWorker, runNextJob, startWorker, type WorkerOptions } from "./worker.js";
