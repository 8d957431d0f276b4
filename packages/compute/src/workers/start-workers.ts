/**
 * Starting worker threads that may run from TypeScript sources. Run through tsx, a worker thread does not inherit the
 * TypeScript loader, so it starts from a small module that registers tsx and then imports the worker script.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** The first message every worker sends: ready, or the reason it could not start. */
export interface WorkerStartHello {
  ready: boolean;
  error?: string;
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
 * Starts `count` workers on `entry` with the same workerData and waits until each says it is ready. If one fails,
 * all are terminated and the error `startFailure(hello.error)` (or the worker's own error) is thrown.
 */
export async function startWorkers(
  entry: URL,
  count: number,
  workerData: unknown,
  startFailure: (error: string | undefined) => Error,
): Promise<Worker[]> {
  const workers = Array.from({ length: count }, () => new Worker(entry, { workerData }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once("message", (hello: WorkerStartHello) =>
              hello.ready ? resolve() : reject(startFailure(hello.error)),
            );
            worker.once("error", reject);
          }),
      ),
    );
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  return workers;
}
