export { demoModelDir, demoStudyInput } from "./demo.js";
export { computeAndStoreFeatureData, computeFeatureDataOf, StudyRefError, studyWithFolder } from "./feature-data.js";
export {
  computeStudy,
  newStudyDir,
  runAndStoreStudy,
  type StoredStudy,
  type StudyConfig,
  type StudyRequest,
  writeReportFiles,
} from "./run-and-store.js";
export { runExecutor } from "./run-executor.js";
export { runAndStoreStimulus, runStimulusOnStudy, stimulusExecutor } from "./stimulus.js";
export { storedStudyDir, studyDirOnDisk } from "./study-dir.js";
export { stageOf, studyExecutor } from "./study-executor.js";
