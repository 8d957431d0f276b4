import { type Config, type Database, migrate, openDatabase } from "@interlace/server";

/** Opens the configured database (embedded PGlite unless DATABASE_URL is set) and applies pending migrations. */
export async function openMigratedDatabase(config: Config): Promise<{ db: Database; applied: string[] }> {
  const db = await openDatabase(config);
  try {
    const { applied } = await migrate(db.sql);
    return { db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export function describeDatabase(config: Config, db: Database): string {
  if (db.kind === "postgres") return "Postgres from DATABASE_URL";
  const shared = db.kind === "embedded-shared" ? ", shared with the running Interlace" : "";
  return `embedded PGlite in ${config.home}/pgdata${shared}`;
}

/**
 * Resolves once Ctrl-C (SIGINT) or SIGTERM arrives. The listeners stay installed so that a second signal during the
 * shutdown does not kill the process before the database is closed.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on("SIGINT", resolve);
    process.on("SIGTERM", resolve);
  });
}
