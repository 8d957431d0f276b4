import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
import { explainExecutor } from "../explain/explain-executor.js";
import type { RunLimits } from "../features/run/run.service.js";
import { RUN_KINDS } from "../features/run/run-kinds.js";
import type { RunExecutor } from "../worker/executor.js";
import type { StudyConfig } from "./run-and-store.js";
import { stimulusExecutor } from "./stimulus.js";
import { studyExecutor } from "./study-executor.js";

/** The worker's executor for every kind of RUN_KINDS: each run goes to the executor of its kind. */
export function runExecutor(sql: Sql, config: StudyConfig & RunLimits & Pick<Config, "explain">): RunExecutor {
  const studies = studyExecutor(sql, config);
  const byKind: Record<string, RunExecutor> = {
    [RUN_KINDS.study]: studies,
    [RUN_KINDS.featureData]: studies,
    [RUN_KINDS.demoModel]: studies,
    [RUN_KINDS.stimulus]: stimulusExecutor(sql, config),
    [RUN_KINDS.explain]: explainExecutor(sql, config.explain),
  };
  return (run, controls) => {
    const execute = byKind[run.kind];
    if (!execute) throw new Error(`this worker runs ${Object.keys(byKind).join(", ")} runs, not "${run.kind}".`);
    return execute(run, controls);
  };
}
