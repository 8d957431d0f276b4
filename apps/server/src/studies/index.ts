export { computeAndStoreFeatureData, StudyRefError, studyWithFolder } from "./feature-data.js";
export {
  newStudyDir,
  runAndStoreStudy,
  type StoredStudy,
  type StudyConfig,
  type StudyRequest,
  writeReportFiles,
} from "./run-and-store.js";
export { runExecutor } from "./run-executor.js";
export { studyExecutor } from "./study-executor.js";
