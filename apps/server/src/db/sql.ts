import type postgres from "postgres";

/** The postgres.js client every repository takes; the same type whether it talks to Postgres or embedded PGlite. */
export type Sql = postgres.Sql;

/** A client or an open transaction; repositories that can run inside a caller's transaction take this. */
export type SqlOrTransaction = postgres.Sql | postgres.TransactionSql;
