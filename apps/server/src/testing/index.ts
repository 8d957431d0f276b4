// Test support other packages' tests use (cross-package browser and CLI tests).

export {
  type ClaudeStub,
  type StubAnswer,
  type StubRequest,
  startClaudeStub,
  stubTokens,
} from "./claude-stub.js";
export {
  cannedExplanation,
  excerpts,
  honestScorer,
  namedWord,
  type PromptKind,
  promptKind,
} from "./claude-stub-answers.js";
export { explainStudy, fruitOf } from "./explain-study.js";
export { HOSTILE_TOKENS, sampleStudy } from "./sample-study.js";
export {
  describeOnEachDatabase,
  openTestDatabase,
  realPostgresSkipReason,
  type TestDatabase,
  type TestDatabaseKind,
} from "./test-databases.js";
