import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "../../db/sql.js";
import { checkName, isId } from "../../graphql/errors.js";
import { isRole, ROLES, type Role } from "./role.js";
import { deleteToken, findTokenByHash, insertToken, listTokens, type TokenRow } from "./token.repository.js";

/** Every token starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const TOKEN_PREFIX = "ilc_";
const TOKEN_FORM = /^ilc_[A-Za-z0-9_-]{43}$/;

/** Who sent a request: the token's id, name and role. */
export interface Caller {
  tokenId: string;
  name: string;
  role: Role;
}

/** Thrown for bad token requests from the CLI; the message names the input and the fix. */
export class TokenError extends Error {
  override name = "TokenError";
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token; returns its row and the token itself, which is stored only as a hash and shown only now. */
export async function issueToken(
  sql: Sql,
  request: { name: string; role: string },
): Promise<{ row: TokenRow; token: string }> {
  if (!isRole(request.role)) {
    throw new TokenError(`--role must be one of ${ROLES.join(", ")} (got ${JSON.stringify(request.role)})`);
  }
  let name: string;
  try {
    name = checkName("--name", request.name);
  } catch (error) {
    throw new TokenError((error as Error).message);
  }
  if (name.includes("\0")) throw new TokenError("--name contains a NUL character; remove it");
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await insertToken(sql, { name, role: request.role, hash: hashToken(token) });
  return { row, token };
}

export function listIssuedTokens(sql: Sql): Promise<TokenRow[]> {
  return listTokens(sql);
}

/** Revokes a token at once (later requests with it are refused); throws a TokenError when no token has the id. */
export async function revokeToken(sql: Sql, id: string): Promise<TokenRow> {
  const row = isId(id) ? await deleteToken(sql, id) : undefined;
  if (!row) throw new TokenError(`No token has id ${id}; \`interlace token list\` shows the ids`);
  return row;
}

/**
 * Who an `Authorization` header names: a Caller, or a reason the request is unauthenticated (no header, not a
 * bearer token, or a token the server does not know). Looked up on every request: revocation is effective at once.
 */
export async function authenticate(sql: Sql, header: string | undefined): Promise<Caller | { problem: string }> {
  if (header === undefined || header.trim() === "") {
    return {
      problem:
        "none was sent: send Authorization: Bearer <token> (an admin creates one with `interlace token create --role analyst --name NAME`)",
    };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { problem: "the Authorization header must be `Bearer <token>`" };
  const token = match[1];
  const row = TOKEN_FORM.test(token) ? await findTokenByHash(sql, hashToken(token)) : undefined;
  if (!row) return { problem: "the token is not known to this server (mistyped, or revoked); ask an admin for one" };
  return { tokenId: row.id, name: row.name, role: row.role };
}
