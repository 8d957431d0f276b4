export {
  type ActiveFeature,
  type AnalyzeOptions,
  analyzeText,
  type PairContribution,
  type TextCodes,
  type TokenAnalysis,
  textCodes,
} from "./analyze.js";
export { LruCache } from "./artifact-cache.js";
export {
  checkPromptLength,
  checkSteerFeatures,
  isSteerMode,
  STEER_LIMITS,
  STEER_MODES,
  type SteerFeature,
  SteerInputError,
  type SteerLimits,
  type SteerMode,
  saeHookFor,
} from "./features.js";
export { saeSteeringHook, steeringDelta } from "./hook.js";
export { type GeneratedText, type SteerOptions, type SteerResult, SteerTimeoutError, steerGenerate } from "./steer.js";
export { StudyReader, type StudyReaderOptions, type Timed } from "./study-reader.js";
