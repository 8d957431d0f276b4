import assert from "node:assert/strict";
import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { defaultMigrationsDir, MigrationError, migrate, readMigrations } from "./migrate.js";

let editedDir: string;
let extendedDir: string;

before(async () => {
  const files = (await readdir(defaultMigrationsDir)).filter((name) => name.endsWith(".sql"));
  editedDir = await mkdtemp(join(tmpdir(), "interlace-migrations-"));
  extendedDir = await mkdtemp(join(tmpdir(), "interlace-migrations-"));
  for (const name of files) {
    await copyFile(join(defaultMigrationsDir, name), join(editedDir, name));
    await copyFile(join(defaultMigrationsDir, name), join(extendedDir, name));
  }
  await writeFile(join(editedDir, "0001_init.sql"), "create table edited (id int);\n");
  await writeFile(join(extendedDir, "9999_extra.sql"), "create table extra (id int primary key);\n");
});

after(async () => {
  await rm(editedDir, { recursive: true, force: true });
  await rm(extendedDir, { recursive: true, force: true });
});

test("migration files are read in order with checksums", async () => {
  const files = await readMigrations();
  assert.equal(files[0]?.name, "0001_init.sql");
  assert.match(files[0]?.checksum ?? "", /^[0-9a-f]{64}$/);
});

test("a badly named migration file is rejected by name", async () => {
  const dir = await mkdtemp(join(tmpdir(), "interlace-migrations-"));
  await writeFile(join(dir, "init.sql"), "select 1;");
  await assert.rejects(readMigrations(dir), /init\.sql .* must be named NNNN_lowercase_name\.sql/);
  await rm(dir, { recursive: true, force: true });
});

describeOnEachDatabase("migrations", (database) => {
  test("apply to an empty database, then applying again is a no-op", async () => {
    const { sql } = database();
    const files = (await readMigrations()).map((file) => file.name);
    const first = await migrate(sql);
    assert.deepEqual(first.applied, files);
    assert.ok(first.applied.includes("0003_feature_data.sql"));
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_schema = 'public' order by 1`;
    const wanted = ["models", "studies", "saes", "features", "feature_examples", "nfms", "interactions", "runs"];
    wanted.push("api_tokens");
    wanted.push("feature_histogram_bins", "feature_quantiles", "feature_quantile_examples", "feature_logits");
    wanted.push("feature_neighbours", "feature_co_activations");
    for (const table of wanted) {
      assert.ok(
        tables.some((row) => row.name === table),
        `table ${table} exists`,
      );
    }
    const second = await migrate(sql);
    assert.deepEqual(second.applied, []);
    const [recorded] = await sql<{ count: number }[]>`select count(*)::int as count from schema_migrations`;
    assert.equal(recorded?.count, first.applied.length);
  });

  test("concurrent runs apply each file once", async () => {
    const { sql } = database();
    const results = await Promise.all([migrate(sql, { dir: extendedDir }), migrate(sql, { dir: extendedDir })]);
    assert.deepEqual(
      results.flatMap((result) => result.applied),
      ["9999_extra.sql"],
    );
  });

  test("an applied file that was edited stops start-up with its name", async () => {
    await assert.rejects(migrate(database().sql, { dir: editedDir }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /0001_init\.sql was edited after it was applied/);
      return true;
    });
  });

  test("an applied file missing from the folder stops start-up with its name", async () => {
    await assert.rejects(migrate(database().sql), /9999_extra\.sql was applied .* missing/);
  });
});
