import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import postgres from "postgres";
import { openDatabase } from "../db/open-database.js";
import type { Sql } from "../db/sql.js";

export type TestDatabaseKind = "pglite" | "postgres";

export interface TestDatabase {
  kind: TestDatabaseKind;
  sql: Sql;
  /** The connection string the server can use (real Postgres only). */
  url: string | undefined;
  /** A connection string for another connection to this database (either kind). */
  connectionUrl: string;
  /** INTERLACE_HOME of the embedded database (PGlite only). */
  home: string | undefined;
  close(): Promise<void>;
}

/**
 * Why the real-Postgres tests are skipped, or false when they run. They run whenever TEST_DATABASE_URL is set;
 * with CI=true they always run, so an unset or unreachable database fails them instead of skipping.
 */
export function realPostgresSkipReason(env = process.env): string | false {
  if (env.TEST_DATABASE_URL || env.CI === "true") return false;
  return "TEST_DATABASE_URL is not set (set it to a Postgres the tests may create databases in)";
}

/** An embedded PGlite in a fresh temporary INTERLACE_HOME, removed on close. */
export async function openTestPglite(): Promise<TestDatabase> {
  const home = await mkdtemp(join(tmpdir(), "interlace-test-"));
  const database = await openDatabase({ home, databaseUrl: undefined });
  return {
    kind: "pglite",
    sql: database.sql,
    url: undefined,
    connectionUrl: database.url,
    home,
    close: async () => {
      await database.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A fresh database created in TEST_DATABASE_URL's server for this test run, dropped on close. */
export async function openTestPostgres(env = process.env): Promise<TestDatabase> {
  const adminUrl = env.TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error("TEST_DATABASE_URL must be set when CI=true, e.g. postgres://postgres@127.0.0.1:5432/test");
  const name = `interlace_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    throw new Error(`Cannot create a test database through TEST_DATABASE_URL: ${(error as Error).message}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ home: tmpdir(), databaseUrl: url.toString() });
  return {
    kind: "postgres",
    sql: database.sql,
    url: url.toString(),
    connectionUrl: url.toString(),
    home: undefined,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

export function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  return kind === "pglite" ? openTestPglite() : openTestPostgres();
}

/**
 * Declares `body`'s tests once per database kind, each suite on its own fresh database.
 * `body` receives a getter, valid inside tests and hooks.
 */
export function describeOnEachDatabase(title: string, body: (database: () => TestDatabase) => void): void {
  for (const kind of ["pglite", "postgres"] as const) {
    describe(`${title} (${kind})`, { skip: kind === "postgres" ? realPostgresSkipReason() : false }, () => {
      let database: TestDatabase | undefined;
      before(async () => {
        database = await openTestDatabase(kind);
      });
      after(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error(`the ${kind} test database did not open (see the before hook's error)`);
        return database;
      });
    });
  }
}
