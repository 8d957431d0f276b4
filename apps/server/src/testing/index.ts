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
