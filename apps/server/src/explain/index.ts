export { findStudiesByRef } from "../features/study/study.repository.js";
export { TokenBudget } from "./budget.js";
export { type Claude, ClaudeError, claudeOf, NotConfiguredError } from "./claude.js";
export { EXPLAIN_RUN_KIND, explainExecutor } from "./explain-executor.js";
export { explainPair } from "./explain-pair.js";
export { type ArgumentNames, checkExplainRequest, type ExplainAsk, ExplainRequestError } from "./explain-request.js";
export {
  describeSummary,
  type ExplainRequest,
  type ExplainSummary,
  explainFeatures,
  type FeatureOutcome,
} from "./explain-run.js";
export { PROMPTS } from "./prompts.js";
export { SCORER_KINDS, type ScorerKind } from "./scoring.js";
