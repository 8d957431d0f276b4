export type { TrainStopReason } from "../train/loop.js";
export type {
  ArchitectureTrainer,
  ResampleDeadLatents,
  SaeArchitecture,
  SaeTensors,
  SaeTraining,
  SaeTrainingChoices,
  StepCoefficients,
  TrainingStepResult,
} from "./architecture.js";
export { saeArchitectures } from "./architectures.js";
export { type EvaluateSaeOptions, evaluateSae, log10Histogram, type SaeMetrics } from "./evaluate.js";
export { JUMPRELU_ARCHITECTURE, jumpReluArchitecture } from "./jumprelu.js";
export { estimateNormScale, foldNormScale } from "./normalize.js";
export { ParallelEngine } from "./parallel-engine.js";
export { ArchitectureRegistry } from "./registry.js";
export {
  type ResidualHeldOut,
  type ResidualSaeOptions,
  type ResidualSaeReport,
  type ResidualSaeRun,
  residualRowSource,
  trainResidualSae,
} from "./residual.js";
export { arrayRowSource, type ResumableRowSource, splitRows } from "./row-source.js";
export { Sae } from "./sae.js";
export {
  loadSaeLens,
  parseSaeLensConfig,
  SAELENS_CFG,
  SAELENS_SPARSITY,
  SAELENS_WEIGHTS,
  saeLensConfigJson,
  saveSaeLens,
} from "./saelens.js";
export { type SaeProducts, SPARSE_MAX_DENSITY } from "./sparse-step.js";
export { STANDARD_ARCHITECTURE, standardArchitecture } from "./standard.js";
export { type StoreRowSourceOptions, storeRowSource } from "./store-source.js";
export { type SyntheticSparseData, syntheticSparseRows } from "./synthetic.js";
export { AUX_COEFFICIENT, DEFAULT_K, TOPK_ARCHITECTURE, topkArchitecture, topkEncode } from "./topk.js";
export { type TrainedSae, type TrainSaeOptions, trainSae } from "./train.js";
export { type HostCoefficients, LocalEngine, type StepReport, StepRunner, type TrainEngine } from "./train-engine.js";
export {
  NORMALIZE_ACTIVATIONS,
  type NormalizeActivations,
  type RowSource,
  type SaeConfig,
  type SaeTrainingProgress,
  type SaeWeights,
} from "./types.js";
