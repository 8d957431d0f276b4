export { type Config, ConfigError, configOf, envFlag, loadConfig, parseEnv, serverEnv } from "./config.js";
export {
  type Database,
  defaultMigrationsDir,
  type MigrateResult,
  MigrationError,
  migrate,
  type OpenDatabaseOptions,
  openDatabase,
  readMigrations,
  type Sql,
} from "./db/index.js";
export type { RunOutcome, RunRow, RunState } from "./features/run/run.repository.js";
export { RunService, STUDY_RUN_KIND, type StudyRunParams } from "./features/run/run.service.js";
export { findStudy, listStudies, type StudyRow, saveStudy } from "./features/study/study.repository.js";
export { InvalidStudyResultError } from "./features/study/study-result.validation.js";
export { buildGraphQLSchema, emitSchema, printContract, schemaFile } from "./graphql/schema.js";
export { type RunningServer, type StartServerOptions, startServer } from "./http/server.js";
