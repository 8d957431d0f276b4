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
export { averageRanks, pearson, spearman } from "./rank-correlation.js";
export { createRng, normalArray, permutation, type Rng } from "./rng.js";
