import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
import { EXPLAIN_RUN_KIND, explainExecutor } from "../explain/explain-executor.js";
import { STUDY_RUN_KIND } from "../features/run/run.service.js";
import { STIMULUS_RUN_KIND } from "../features/stimulus/stimulus.service.js";
import type { RunExecutor } from "../worker/executor.js";
import type { StudyConfig } from "./run-and-store.js";
import { stimulusExecutor } from "./stimulus.js";
import { studyExecutor } from "./study-executor.js";

/** The worker's executor for every run kind: each run goes to the executor of its kind. */
export function runExecutor(sql: Sql, config: StudyConfig & Pick<Config, "explain">): RunExecutor {
  const byKind: Record<string, RunExecutor> = {
    [STUDY_RUN_KIND]: studyExecutor(sql, config),
    [STIMULUS_RUN_KIND]: stimulusExecutor(sql, config),
    [EXPLAIN_RUN_KIND]: explainExecutor(sql, config.explain),
  };
  const executor: RunExecutor = (run, controls) => {
    const execute = byKind[run.kind];
    if (!execute) throw new Error(`this worker runs ${Object.keys(byKind).join(", ")} runs, not "${run.kind}".`);
    return execute(run, controls);
  };
  return executor;
}
