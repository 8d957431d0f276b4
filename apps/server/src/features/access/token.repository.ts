import type { SqlOrTransaction } from "../../db/sql.js";
import type { Role } from "./role.js";

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const tokenColumns = (sql: SqlOrTransaction) =>
  sql`id, name, role, created_at as "createdAt", last_used_at as "lastUsedAt"`;

export async function insertToken(
  sql: SqlOrTransaction,
  token: { name: string; role: Role; hash: string },
): Promise<TokenRow> {
  const [row] = await sql<TokenRow[]>`
    insert into api_tokens (name, role, token_hash) values (${token.name}, ${token.role}, ${token.hash})
    returning ${tokenColumns(sql)}`;
  if (!row) throw new Error("inserting the token returned no row");
  return row;
}

/** The token with this hash, marking it used now; undefined when no such token exists (never issued or revoked). */
export async function findTokenByHash(sql: SqlOrTransaction, hash: string): Promise<TokenRow | undefined> {
  const [row] = await sql<TokenRow[]>`
    update api_tokens set last_used_at = now() where token_hash = ${hash}
    returning ${tokenColumns(sql)}`;
  return row;
}

/** Oldest first. */
export function listTokens(sql: SqlOrTransaction): Promise<TokenRow[]> {
  return sql<TokenRow[]>`select ${tokenColumns(sql)} from api_tokens order by created_at, id`;
}

/** Deletes the token; returns it, or undefined when no token has this id. */
export async function deleteToken(sql: SqlOrTransaction, id: string): Promise<TokenRow | undefined> {
  const [row] = await sql<TokenRow[]>`delete from api_tokens where id = ${id} returning ${tokenColumns(sql)}`;
  return row;
}
