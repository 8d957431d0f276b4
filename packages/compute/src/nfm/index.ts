export { biInteraction, biInteractionSparse } from "./bi-pooling.js";
export { type ErrorReduction, errorReduction, modelRowErrors, predictorRowErrors } from "./evaluate.js";
export {
  type InputScales,
  type InteractionConfig,
  interactionParameterCount,
  matchedMlpWidth,
  ResidualModel,
  type ResidualModelConfig,
} from "./model.js";
export {
  type ResidualBatch,
  type ResidualData,
  residualData,
  residualDataFromSae,
  residualDataSparse,
  type SparseRows,
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
