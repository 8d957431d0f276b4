export {
  hasStudyNfm,
  loadStudyNfm,
  type OpenStudyArtifactsOptions,
  openStudyArtifacts,
  type StudyArtifacts,
  studyHookOf,
} from "./artifacts.js";
export * from "./evidence.js";
export * from "./feature-data/index.js";
export { type ExampleSource, type FeatureSummaryInput, summariseFeatures } from "./feature-summaries.js";
export * from "./interaction/index.js";
export { PRESETS, type PresetName, presetSettings, type StudySettings } from "./options.js";
export { buildReport, exampleText } from "./report.js";
export { type RunStudyOptions, runStudy, type StudyProgress } from "./run-study.js";
export { featureDataStage } from "./stages/feature-data-stage.js";
export { studyHeldOut } from "./stages/rows.js";
export {
  openStudyFolder,
  readStudyIdentity,
  STUDY_FILE,
  type StudyIdentity,
  studyDifferences,
  studyPaths,
} from "./study-folder.js";
export type * from "./types.js";
