import type { Sql } from "../db/sql.js";
import type { Caller } from "../features/access/token.service.js";
import { FeatureService } from "../features/feature/feature.service.js";
import { InteractionService } from "../features/interaction/interaction.service.js";
import { type RunLimits, RunService } from "../features/run/run.service.js";
import { StudyService } from "../features/study/study.service.js";

/** Per-request services (per request, so batching never mixes requests), who is asking, and the request's id. */
export interface Context {
  /** Logged with every internal error of the request and shown to the client in its place. */
  requestId: string;
  /** The token's owner, or why the request carries no usable token. */
  caller: Caller | { problem: string };
  studies: StudyService;
  features: FeatureService;
  interactions: InteractionService;
  runs: RunService;
}

export function createContext(
  sql: Sql,
  request: { requestId: string; caller: Caller | { problem: string }; runLimits: RunLimits; home: string },
): Context {
  return {
    requestId: request.requestId,
    caller: request.caller,
    studies: new StudyService(sql, request.home),
    features: new FeatureService(sql),
    interactions: new InteractionService(sql),
    runs: new RunService(sql, request.runLimits),
  };
}
