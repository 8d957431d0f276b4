import type { Sql } from "../../db/sql.js";
import { findRun, listRuns, type RunRow } from "./run.repository.js";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** What distinguishes two readings of a run: its updated_at moves with every progress, message or status change. */
function versionOf(run: RunRow): string {
  return `${run.id} ${run.updatedAt.getTime()} ${run.status} ${run.progress}`;
}

/**
 * `read()` now, then each time its version changes, read every `intervalMs`; ends when `read` finds nothing or after a
 * reading that `isLast` accepts. Reading the table (not an in-process event) sees every worker process. Ending the
 * iteration early (return(), as a subscription's client leaves) stops the polling at once.
 */
function watchChanges<T>(
  read: () => Promise<T | undefined>,
  version: (value: T) => string,
  isLast: (value: T) => boolean,
  intervalMs: number,
): AsyncIterableIterator<T> {
  const stop = new AbortController();
  let seen: string | undefined;
  let finished = false;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        stop.signal.removeEventListener("abort", done);
        resolve();
      }
      stop.signal.addEventListener("abort", done);
    });
  const end = (): IteratorResult<T> => ({ done: true, value: undefined });
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      while (!stop.signal.aborted && !finished) {
        const value = await read();
        if (value === undefined || stop.signal.aborted) return end();
        const current = version(value);
        finished = isLast(value);
        if (current !== seen) {
          seen = current;
          return { done: false, value };
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

/** The run now, then each time it changes (progress, message, status); ends after the run finished. */
export function watchRun(sql: Sql, id: string, options: { intervalMs: number }): AsyncIterableIterator<RunRow> {
  return watchChanges(
    () => findRun(sql, id),
    versionOf,
    (run) => FINISHED.has(run.status),
    options.intervalMs,
  );
}

/** The newest `first` runs now, then each time one of them changes or a run is requested; never ends by itself. */
export function watchRuns(sql: Sql, first: number, options: { intervalMs: number }): AsyncIterableIterator<RunRow[]> {
  return watchChanges(
    () => listRuns(sql, first),
    (runs) => runs.map(versionOf).join("|"),
    () => false,
    options.intervalMs,
  );
}
