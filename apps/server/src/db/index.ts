export { defaultMigrationsDir, type MigrateResult, MigrationError, migrate, readMigrations } from "./migrate.js";
export { type Database, type OpenDatabaseOptions, openDatabase } from "./open-database.js";
export type { Sql, SqlOrTransaction } from "./sql.js";
