import type { Sql } from "../../db/sql.js";
import { findRun, type RunRow } from "./run.repository.js";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/**
 * The run now, then each time it changes (progress, message, status: its updated_at moves), read every
 * `intervalMs`; ends after the run finished. Reading the table (not an in-process event) sees every worker process.
 * Ending the iteration early (return(), as a subscription's client leaves) stops the polling at once.
 */
export function watchRun(sql: Sql, id: string, options: { intervalMs: number }): AsyncIterableIterator<RunRow> {
  const stop = new AbortController();
  let seen: string | undefined;
  let finished = false;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.intervalMs);
      function done() {
        clearTimeout(timer);
        stop.signal.removeEventListener("abort", done);
        resolve();
      }
      stop.signal.addEventListener("abort", done);
    });
  const end = (): IteratorResult<RunRow> => ({ done: true, value: undefined });
  const iterator: AsyncIterableIterator<RunRow> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      while (!stop.signal.aborted && !finished) {
        const run = await findRun(sql, id);
        if (!run || stop.signal.aborted) return end();
        const version = `${run.updatedAt.getTime()} ${run.status} ${run.progress}`;
        finished = FINISHED.has(run.status);
        if (version !== seen) {
          seen = version;
          return { done: false, value: run };
        }
        await pause();
      }
      return end();
    },
    return: async () => {
      stop.abort();
      return end();
    },
  };
  return iterator;
}
