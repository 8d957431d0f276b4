import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { Config } from "../config.js";
import { newEmbeddedPassword } from "./embedded-auth.js";
import {
  type EmbeddedServerInfo,
  isProcessAlive,
  lockFile,
  readServerInfo,
  releaseDataDirectory,
  removeServerInfo,
  tryTakeDataDirectory,
  writeServerInfo,
} from "./embedded-lock.js";
import { EmbeddedSocketServer } from "./embedded-socket-server.js";
import type { Sql } from "./sql.js";

export interface Database {
  sql: Sql;
  /** `postgres`: DATABASE_URL; `embedded`: this process serves PGlite; `embedded-shared`: another holder's live socket. */
  kind: "postgres" | "embedded" | "embedded-shared";
  /** A connection string for another connection to the same database (e.g. from a worker thread). */
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Connections in the postgres.js pool (default 10 for Postgres, 4 for the embedded database). */
  poolSize?: number;
  /** How long to wait for another process that is starting the embedded database (default 60 s). */
  waitForHolderMs?: number;
  /** Embedded database: a client idle in a transaction this long is disconnected (default 30 s). */
  idleInTransactionMs?: number;
}

/** Connections the embedded socket accepts in total, across every process sharing it. */
const EMBEDDED_MAX_CONNECTIONS = 64;

/** Opens DATABASE_URL, or the embedded PGlite under `$INTERLACE_HOME/pgdata` (sharing a live holder's socket). */
export async function openDatabase(
  config: Pick<Config, "home" | "databaseUrl">,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  if (config.databaseUrl) {
    const sql = postgres(config.databaseUrl, clientOptions(options.poolSize ?? 10));
    return { sql, kind: "postgres", url: config.databaseUrl, close: () => sql.end({ timeout: 5 }) };
  }
  return openEmbedded(config.home, options);
}

function clientOptions(max: number): postgres.Options<Record<string, postgres.PostgresType>> {
  return { max, idle_timeout: 30, onnotice: () => {} };
}

function embeddedUrl(info: EmbeddedServerInfo): string {
  return `postgres://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/postgres`;
}

function embeddedClient(info: EmbeddedServerInfo, max: number): Sql {
  const { port, password } = info;
  return postgres({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres", ...clientOptions(max) });
}

async function socketAnswers(info: EmbeddedServerInfo): Promise<boolean> {
  if (!isProcessAlive(info.pid)) return false;
  const probe = postgres({
    host: "127.0.0.1",
    port: info.port,
    user: "postgres",
    password: info.password,
    database: "postgres",
    max: 1,
    connect_timeout: 3,
    onnotice: () => {},
  });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

async function openEmbedded(home: string, options: OpenDatabaseOptions): Promise<Database> {
  await mkdir(home, { recursive: true });
  const poolSize = Math.min(options.poolSize ?? 4, EMBEDDED_MAX_CONNECTIONS / 4);
  const deadline = Date.now() + (options.waitForHolderMs ?? 60_000);
  for (;;) {
    const info = await readServerInfo(home);
    if (info && (await socketAnswers(info))) {
      const sql = embeddedClient(info, poolSize);
      return { sql, kind: "embedded-shared", url: embeddedUrl(info), close: () => sql.end({ timeout: 5 }) };
    }
    if (await tryTakeDataDirectory(home)) {
      try {
        return await serveEmbedded(home, poolSize, options.idleInTransactionMs ?? 30_000);
      } catch (error) {
        await releaseDataDirectory(home);
        throw error;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded database in ${home} is held by another process that does not answer; stop it, or delete ${lockFile(home)} if no Interlace process is running.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function serveEmbedded(home: string, poolSize: number, idleInTransactionMs: number): Promise<Database> {
  const db = await PGlite.create(join(home, "pgdata"));
  const password = newEmbeddedPassword();
  const server = new EmbeddedSocketServer(db, {
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
    password,
    idleInTransactionMs,
  });
  let port: number;
  try {
    port = await server.listen(0);
  } catch (error) {
    await db.close();
    throw error;
  }
  const info = { port, pid: process.pid, password };
  await writeServerInfo(home, info);
  const sql = embeddedClient(info, poolSize);
  let closing: Promise<void> | undefined;
  const close = async () => {
    await sql.end({ timeout: 5 });
    await removeServerInfo(home, info);
    await server.close();
    await db.close();
    await releaseDataDirectory(home);
  };
  return {
    sql,
    kind: "embedded",
    url: embeddedUrl(info),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
