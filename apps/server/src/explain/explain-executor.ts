import type { ExplainConfig } from "../config.js";
import type { Sql } from "../db/sql.js";
import { RUN_KINDS } from "../features/run/run-kinds.js";
import type { RunExecutor } from "../worker/executor.js";
import { claudeOf } from "./claude.js";
import { describeSummary, type ExplainRequest, explainFeatures } from "./explain-run.js";

/** The `kind` of runs that explain features; their params are an ExplainRequest. */
export const EXPLAIN_RUN_KIND = RUN_KINDS.explain;

/**
 * The worker's executor for explain runs: progress after each feature (with its outcome in the message). A run that
 * explained nothing, or stopped at its token budget, fails with the summary as its error; otherwise the summary is
 * its last message.
 */
export function explainExecutor(sql: Sql, config: ExplainConfig): RunExecutor {
  return async (run, controls) => {
    if (run.kind !== EXPLAIN_RUN_KIND) throw new Error(`not an explain run: "${run.kind}"`);
    const request = run.params as unknown as ExplainRequest;
    const claude = claudeOf(config);
    const summary = await explainFeatures(
      {
        sql,
        claude,
        concurrency: config.concurrency,
        runId: run.id,
        isCancelled: controls.isCancelled,
        onFeature: (outcome, done, total) =>
          controls.reportProgress(
            done / (total + 1),
            `feature ${outcome.index}: ${outcome.status}${outcome.message ? ` (${outcome.message})` : ""}`,
            "explaining",
          ),
      },
      request,
    );
    const line = describeSummary(summary);
    const explained = summary.outcomes.some((o) => o.status === "explained");
    if (!summary.cancelled && (summary.budgetReached || !explained)) throw new Error(line);
    await controls.reportProgress(1, line, "explained");
    // Explanations are stored as each feature finishes (readers see them at once), not at the end of the run.
    return { store: async () => request.studyId };
  };
}
