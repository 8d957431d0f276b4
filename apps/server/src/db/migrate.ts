import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "./sql.js";

export interface MigrationFile {
  /** File name, e.g. `0001_init.sql`. */
  name: string;
  text: string;
  /** sha256 of the file's bytes, hex. */
  checksum: string;
}

export interface MigrateResult {
  /** Files applied by this call, in order (empty when the database was up to date). */
  applied: string[];
}

/** The repository's `migrations/` folder. */
export const defaultMigrationsDir = fileURLToPath(new URL("../../../../migrations/", import.meta.url));

/** Any constant works; all Interlace processes must agree on it. */
const MIGRATION_LOCK_KEY = 7_310_584_112n;
const FILE_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir: string = defaultMigrationsDir): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    if (!FILE_NAME.test(name)) {
      throw new MigrationError(`Migration file ${name} in ${dir} must be named NNNN_lowercase_name.sql`);
    }
    const bytes = await readFile(join(dir, name));
    files.push({ name, text: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") });
  }
  return files;
}

/**
 * Applies every pending migration, each in its own transaction under an advisory lock, recording its checksum.
 * Refuses (MigrationError naming the file) when an applied file was edited or removed. Applying twice is a no-op.
 */
export async function migrate(sql: Sql, options: { dir?: string } = {}): Promise<MigrateResult> {
  const files = await readMigrations(options.dir);
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied: string[] = [];

  const recorded = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    await tx`
      create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    return tx<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by name`;
  });
  for (const row of recorded) {
    const file = byName.get(row.name);
    if (!file) {
      throw new MigrationError(
        `Migration ${row.name} was applied to this database but is missing from the migrations folder; restore it.`,
      );
    }
    assertUnchanged(file, row.checksum);
  }

  const done = new Set(recorded.map((row) => row.name));
  for (const file of files) {
    if (done.has(file.name)) continue;
    const ran = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
      const [existing] = await tx<{ checksum: string }[]>`
        select checksum from schema_migrations where name = ${file.name}`;
      if (existing) {
        assertUnchanged(file, existing.checksum);
        return false;
      }
      await tx.unsafe(file.text).simple();
      await tx`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`;
      return true;
    });
    if (ran) applied.push(file.name);
  }
  return { applied };
}

function assertUnchanged(file: MigrationFile, recordedChecksum: string): void {
  if (file.checksum !== recordedChecksum) {
    throw new MigrationError(
      `Migration ${file.name} was edited after it was applied (checksum ${file.checksum.slice(0, 12)} ≠ recorded ${recordedChecksum.slice(0, 12)}); restore the applied version and put the change in a new numbered migration.`,
    );
  }
}
