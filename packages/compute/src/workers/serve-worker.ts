/**
 * The worker side of startWorkers, written once for every pool: start the backend the pool asked for, let the worker
 * set itself up with the pool's data (it registers its message handler there), then say hello — ready with the tfjs
 * backend it runs, or the reason it could not start.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { initBackend } from "../backend.js";
import type { BackendPreference } from "../backend-preference.js";
import type { WorkerInit, WorkerStartHello } from "./start-workers.js";

export async function serveWorker<Data>(
  setup: (data: Data, port: MessagePort, backend: BackendPreference) => void | Promise<void>,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("serveWorker runs only inside a worker thread; start the worker with startWorkers.");
  const init = workerData as WorkerInit<Data>;
  let hello: WorkerStartHello;
  try {
    const backend = await initBackend(init.backend);
    await setup(init.data, port, init.backend);
    hello = { ready: true, backend };
  } catch (error) {
    hello = { ready: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(hello);
}
