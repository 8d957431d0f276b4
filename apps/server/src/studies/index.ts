export { computeAndStoreFeatureData, StudyRefError, studyWithFolder } from "./feature-data.js";
export {
  newStudyDir,
  runAndStoreStudy,
  type StoredStudy,
  type StudyConfig,
  type StudyRequest,
  writeReportFiles,
} from "./run-and-store.js";
export { studyExecutor } from "./study-executor.js";
export { runExecutor } from "./run-executor.js";
