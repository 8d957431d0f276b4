import type { Sql } from "../db/sql.js";
import { STIMULUS_RUN_KIND } from "../features/stimulus/stimulus.service.js";
import type { RunExecutor } from "../worker/executor.js";
import type { StudyConfig } from "./run-and-store.js";
import { stimulusExecutor } from "./stimulus.js";
import { studyExecutor } from "./study-executor.js";

/** The worker's executor for every run kind: studies and stimulus analyses. */
export function runExecutor(sql: Sql, config: StudyConfig): RunExecutor {
  const byKind: Record<string, RunExecutor> = {
    study: studyExecutor(sql, config),
    [STIMULUS_RUN_KIND]: stimulusExecutor(sql, config),
  };
  return (run, controls) => {
    const executor = byKind[run.kind];
    if (!executor)
      throw new Error(
        `no executor for runs of kind "${run.kind}"; this worker runs ${Object.keys(byKind).join(", ")}.`,
      );
    return executor(run, controls);
  };
}
