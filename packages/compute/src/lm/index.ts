export {
  type Activation,
  type Architecture,
  type MlpKind,
  type NormKind,
  type PositionScheme,
  parseArchitecture,
  SUPPORTED_MODEL_TYPES,
  UnsupportedModelError,
  type WeightLayout,
} from "./config.js";
export { emptyCache, freeCache, type KvCache, parseHookName, runForward } from "./forward.js";
export {
  ForwardPool,
  type ForwardPoolOptions,
  type HostForwardResult,
  type PoolForwardOptions,
} from "./forward-pool.js";
export { type GenerateOptions, type GenerationResult, generate, type StopReason } from "./generate.js";
export { type HubAccess, hubCacheDir, isHubId, type ResolveModelOptions, resolveModel } from "./hub.js";
export { type LoadModelOptions, loadModel, readConfig } from "./load-model.js";
export {
  type BlockWeights,
  loadWeights,
  type ModelWeights,
  openWeights,
  SHARD_INDEX,
  SINGLE_FILE,
  type WeightSource,
} from "./loader.js";
export { compareWithReference, maxAbsDifference, type ReferenceComparison } from "./reference.js";
export { argmax, checkSampling, type SamplingOptions, sampleNext, seededRandom } from "./sampling.js";
export { loadTokenizer } from "./tokenizer.js";
export { TransformerModel, type Unembedding } from "./transformer-model.js";
export * from "./types.js";
export { type AddVectorOptions, addVectorHook } from "./write-hooks.js";
