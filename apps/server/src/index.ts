export {
  type Config,
  ConfigError,
  configOf,
  envFlag,
  loadConfig,
  parseEnv,
  type ReadAccess,
  serverEnv,
} from "./config.js";
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
export { isRole, ROLES, type Role } from "./features/access/role.js";
export type { TokenRow } from "./features/access/token.repository.js";
export {
  authenticate,
  type Caller,
  issueToken,
  listIssuedTokens,
  revokeToken,
  TOKEN_PREFIX,
  TokenError,
} from "./features/access/token.service.js";
export {
  enqueueRun,
  findRun,
  type RunOutcome,
  type RunRow,
  type RunState,
  requestRunCancel,
} from "./features/run/run.repository.js";
export { type RunLimits, RunService, STUDY_RUN_KIND, type StudyRunParams } from "./features/run/run.service.js";
export { type FeatureDataRunParams, RUN_KINDS, type RunKind } from "./features/run/run-kinds.js";
export { findStudy, listStudies, type StudyRow, saveStudy } from "./features/study/study.repository.js";
export { InvalidStudyResultError } from "./features/study/study-result.validation.js";
export { LIMITS } from "./graphql/limits.js";
export { buildGraphQLSchema, emitSchema, printContract, schemaFile } from "./graphql/schema.js";
export { type RunningServer, type ServerConfig, type StartServerOptions, startServer } from "./http/server.js";
