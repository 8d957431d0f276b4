import type { Sql } from "../db/sql.js";
import { requeueStaleRuns, type StaleRunPolicy } from "../features/run/run.repository.js";

export type { StaleRunPolicy };

export interface StaleRunSweeper {
  /** Re-queues stale runs now; resolves with how many changed (0 when the database did not answer). */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * Re-queues runs whose worker stopped heart-beating, every `intervalMs`: serving and working processes both run it,
 * so a crashed worker's run is taken up again even when only `--no-worker` servers are left.
 */
export function startStaleRunSweeper(
  sql: Sql,
  policy: StaleRunPolicy,
  options: { intervalMs: number; log?: (message: string) => void },
): StaleRunSweeper {
  const sweep = async () => {
    try {
      const changed = await requeueStaleRuns(sql, policy);
      if (changed > 0) options.log?.(`re-queued or ended ${changed} run(s) of workers that stopped responding`);
      return changed;
    } catch (error) {
      options.log?.(`re-queueing stale runs failed: ${(error as Error).message}`);
      return 0;
    }
  };
  const timer = setInterval(() => void sweep(), options.intervalMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
