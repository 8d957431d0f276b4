/**
 * The heartbeat of a running run, on its own thread with its own database connection: a long compute step on the
 * worker's main thread never makes the run look dead. It tells the main thread when the run was cancelled or taken
 * from this worker, through shared memory (read synchronously) and a message (to abort the run's signal).
 */
import { parentPort, workerData } from "node:worker_threads";
import postgres from "postgres";
import { heartbeatRun } from "../features/run/run.repository.js";
import { type HeartbeatMessage, type HeartbeatThreadData, noteHeartbeat } from "./heartbeat.js";

const data = workerData as HeartbeatThreadData;
const flags = new Int32Array(data.flags);
const sql = postgres(data.url, { max: 1, idle_timeout: 30, connect_timeout: 5, onnotice: () => {} });
let stopped = false;
/** Ends the wait between two heartbeats at once when the run stops, so the thread exits without delaying the run. */
let wake: (() => void) | undefined;

function tell(message: HeartbeatMessage): void {
  parentPort?.postMessage(message);
}

async function beat(): Promise<void> {
  try {
    noteHeartbeat(flags, await heartbeatRun(sql, data.runId, data.workerId), tell);
  } catch (error) {
    tell({ kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
}

parentPort?.on("message", (message: "stop") => {
  if (message !== "stop") return;
  stopped = true;
  wake?.();
  sql.end({ timeout: 1 }).finally(() => parentPort?.close());
});

(async () => {
  while (!stopped) {
    await beat();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, data.intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
})();
