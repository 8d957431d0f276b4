export { type BiInteractionOptions, biInteraction, biInteractionSparse } from "./bi-pooling.js";
export {
  hasResidualCheckpoint,
  loadResidualModel,
  type ResidualCheckpoint,
  readResidualCheckpoint,
} from "./checkpoint.js";
export {
  type EmbeddingStats,
  embeddingStats,
  symmetricEigenvalues,
  type VectorStats,
  vectorStats,
} from "./embedding-stats.js";
export { type ErrorReduction, errorReduction, modelRowErrors, predictorRowErrors } from "./evaluate.js";
export {
  CoActivationIndex,
  type Contributions,
  contributions,
  type Embedding,
  embeddingOf,
  type FeatureDimension,
  type InteractionPair,
  pairStrength,
  type TopPairsOptions,
  topDimensionsOfFeature,
  topPairs,
  topPartners,
} from "./inspect.js";
export {
  type JointFineTuned,
  type JointFineTuneOptions,
  type JointProgress,
  type JointRowErrors,
  jointFineTune,
  jointRowErrors,
} from "./joint.js";
export {
  dimensionVarianceExplained,
  energyEffectiveRank,
  type KDimensionStats,
  kDimensionStats,
  topByMagnitude,
} from "./k-dimensions.js";
export {
  type InputScales,
  type InteractionConfig,
  interactionParameterCount,
  matchedMlpWidth,
  ResidualModel,
  type ResidualModelConfig,
} from "./model.js";
export { type FeaturePair, pairAblationEffect, pairContributionRows } from "./pair-contribution.js";
export {
  type InspectedPair,
  inspectPairs,
  interactionMass,
  interactionOutputNorms,
  type PairInspectionOptions,
  storedPairCandidates,
} from "./pair-inspection.js";
export { type PairSeeds, pairSeeds, type SeedAgreement, seedAgreement } from "./pair-replication.js";
export {
  type ResidualBatch,
  type ResidualData,
  residualData,
  residualDataFromSae,
  residualDataSparse,
  type SparseRows,
  topNFeatures,
} from "./residual-data.js";
export { syntheticResidualData } from "./synthetic.js";
export {
  estimateScales,
  interactionConfigOf,
  type NfmTrainingProgress,
  type TrainedResidualModel,
  type TrainNfmOptions,
  type TrainResidualModelOptions,
  trainNfm,
  trainResidualModel,
} from "./train.js";
export {
  CONTROL_MODELS,
  type ControlModel,
  modelConfig,
  NFM_VARIANTS,
  type NfmVariant,
  type ResidualModelKind,
} from "./variants.js";
