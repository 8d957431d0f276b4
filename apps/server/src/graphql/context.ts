import type { ExplainConfig } from "../config.js";
import type { Sql } from "../db/sql.js";
import type { Caller } from "../features/access/token.service.js";
import { ExplanationService } from "../features/explanation/explanation.service.js";
import { FeatureService } from "../features/feature/feature.service.js";
import { InteractionService } from "../features/interaction/interaction.service.js";
import { NfmService } from "../features/nfm/nfm.service.js";
import { type RunLimits, RunService } from "../features/run/run.service.js";
import { type SteeringDeps, SteeringService } from "../features/steering/steering.service.js";
import { StimulusService } from "../features/stimulus/stimulus.service.js";
import { StudyService } from "../features/study/study.service.js";

/** Per-request services (per request, so batching never mixes requests), who is asking, and the request's id. */
export interface Context {
  /** Logged with every internal error of the request and shown to the client in its place. */
  requestId: string;
  /** The token's owner, or why the request carries no usable token. */
  caller: Caller | { problem: string };
  /** The client's address (rate limits of reads without a token). */
  client: string;
  studies: StudyService;
  features: FeatureService;
  interactions: InteractionService;
  nfm: NfmService;
  runs: RunService;
  stimulus: StimulusService;
  steering: SteeringService;
  explanations: ExplanationService;
}

export function createContext(
  sql: Sql,
  request: {
    requestId: string;
    caller: Caller | { problem: string };
    client: string;
    runLimits: RunLimits & { home: string; explain: ExplainConfig };
    steering: SteeringDeps;
  },
): Context {
  const nfm = new NfmService(sql);
  return {
    requestId: request.requestId,
    caller: request.caller,
    client: request.client,
    studies: new StudyService(sql, request.runLimits.home),
    features: new FeatureService(sql),
    interactions: new InteractionService(sql, nfm),
    nfm,
    runs: new RunService(sql, request.runLimits),
    stimulus: new StimulusService(sql, request.runLimits.home),
    steering: new SteeringService(sql, request.steering),
    explanations: new ExplanationService(sql, request.runLimits.explain),
  };
}
