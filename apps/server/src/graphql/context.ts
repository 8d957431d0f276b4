import type { Sql } from "../db/sql.js";
import { FeatureService } from "../features/feature/feature.service.js";
import { InteractionService } from "../features/interaction/interaction.service.js";
import { RunService } from "../features/run/run.service.js";
import { StudyService } from "../features/study/study.service.js";

/** Per-request services (per request, so batching never mixes requests). */
export interface Context {
  studies: StudyService;
  features: FeatureService;
  interactions: InteractionService;
  runs: RunService;
}

export function createContext(sql: Sql): Context {
  return {
    studies: new StudyService(sql),
    features: new FeatureService(sql),
    interactions: new InteractionService(sql),
    runs: new RunService(sql),
  };
}
