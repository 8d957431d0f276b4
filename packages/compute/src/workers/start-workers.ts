/**
 * Starting worker threads, written once for every pool. A worker may run from TypeScript sources: run through tsx, a
 * worker thread does not inherit the TypeScript loader, so it starts from a small module that registers tsx and then
 * imports the worker script. Every worker receives the backend preference of the pool (the app's configured one)
 * and starts that backend before anything else (serve-worker.ts).
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { BackendPreference } from "../backend-preference.js";

/** How many worker threads a pool starts, and the backend preference each of them starts. */
export interface WorkerThreads {
  count: number;
  backend: BackendPreference;
}

/** The workerData of every worker: the backend preference to start and the pool's own data. */
export interface WorkerInit<Data> {
  backend: BackendPreference;
  data: Data;
}

/** The first message every worker sends: ready with the compute engine it started, or why it could not start. */
export type WorkerStartHello = { ready: true; backend: string } | { ready: false; error: string };

export interface StartedWorkers {
  workers: Worker[];
  /** The compute engine each worker started, in worker order. */
  backends: string[];
}

/** Entry point of the worker module `name` (no extension) beside `callerUrl` (the caller's import.meta.url). */
export function workerEntry(callerUrl: string, name: string): URL {
  const extension = extname(fileURLToPath(callerUrl));
  const script = new URL(`./${name}${extension}`, callerUrl);
  if (extension !== ".ts") return script;
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(script.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * Starts `threads.count` workers on `entry`, each with the backend preference `threads.backend` and the same `data`,
 * and waits until each says it is ready. If one fails, all are terminated and the error `startFailure(reason)` (or
 * the worker's own error) is thrown.
 */
export async function startWorkers<Data>(
  entry: URL,
  threads: WorkerThreads,
  data: Data,
  startFailure: (reason: string) => Error,
): Promise<StartedWorkers> {
  const workerData: WorkerInit<Data> = { backend: threads.backend, data };
  const workers = Array.from({ length: threads.count }, () => new Worker(entry, { workerData }));
  try {
    const backends = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<string>((resolve, reject) => {
            worker.once("message", (hello: WorkerStartHello) =>
              hello.ready ? resolve(hello.backend) : reject(startFailure(hello.error)),
            );
            worker.once("error", reject);
          }),
      ),
    );
    return { workers, backends };
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
}
