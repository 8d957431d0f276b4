export {
  type AnovaTerm,
  type AnovaType,
  factorCodes,
  isConstant,
  type TwoWayAnova,
  type TwoWayData,
  TwoWayDesign,
  twoWayAnova,
} from "./anova2.js";
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
export { type CellSummary, cellSummaries } from "./cells.js";
export { fUpperTail, tQuantile } from "./distributions.js";
export { benjaminiHochberg } from "./fdr.js";
export {
  freedmanLaneInteractionP,
  type InteractionContrast,
  type InteractionContrastOptions,
  interactionContrast,
  interactionContrastCi,
  interactionContrastValue,
  MIN_PERMUTATIONS,
} from "./interaction-contrast.js";
export { ColumnSpace } from "./least-squares.js";
export { averageRanks, pearson, spearman } from "./rank-correlation.js";
export { createRng, normalArray, permutation, type Rng } from "./rng.js";
