import type { Command } from "../command.js";
import { describeDatabase, openMigratedDatabase } from "../database.js";

export const migrateCommand: Command = {
  path: ["migrate"],
  summary: "Apply pending database migrations (migrations/NNNN_*.sql); applying twice is a no-op.",
  usage: "Flags: none. The database is DATABASE_URL, or the embedded PGlite under $INTERLACE_HOME/pgdata.\n",
  options: {},
  usesEngine: false,
  async run(_values, _positionals, config) {
    const { db, applied } = await openMigratedDatabase(config);
    try {
      const what = applied.length === 0 ? "already up to date" : `applied ${applied.join(", ")}`;
      process.stdout.write(`migrate: ${describeDatabase(config, db)}: ${what}\n`);
    } finally {
      await db.close();
    }
  },
};
