export { MAX_CO_ACTIVATION_FEATURES } from "./activation-pass.js";
export { positiveBin, rangeHistogram } from "./bins.js";
export { foldedDecoder } from "./decoder.js";
export { computeFeatureData, type FeatureDataInput } from "./feature-data.js";
export { computeStudyFeatureData, type StudyFeatureDataOptions } from "./study-feature-data.js";
export * from "./types.js";
