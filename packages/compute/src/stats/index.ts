export { balancedAccuracy, type ConfusionCounts, confusionCounts } from "./balanced-accuracy.js";
export {
  averageRowErrors,
  type BootstrapOptions,
  bootstrapRows,
  type Estimate,
  errorReductionCi,
  errorReductionGainCi,
  errorReductionOf,
  percentileInterval,
  type RowErrors,
} from "./bootstrap.js";
export { createRng, normalArray, permutation, type Rng } from "./rng.js";
