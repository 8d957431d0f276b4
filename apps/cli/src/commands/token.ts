import { isRole, issueToken, listIssuedTokens, ROLES, revokeToken, type Sql, TokenError } from "@interlace/server";
import { type Command, requiredString, UsageError } from "../command.js";
import type { CliConfig } from "../config.js";
import { openMigratedDatabase } from "../database.js";

/** Runs `use` on the migrated database, turning a TokenError into a usage error (exit 2 with its message). */
async function withTokens<T>(config: CliConfig, use: (sql: Sql) => Promise<T>): Promise<T> {
  const { db } = await openMigratedDatabase(config);
  try {
    return await use(db.sql);
  } catch (error) {
    if (error instanceof TokenError) throw new UsageError(error.message);
    throw error;
  } finally {
    await db.close();
  }
}

export const tokenCreateCommand: Command = {
  path: ["token", "create"],
  summary: "Create an API token (role analyst or admin); it is printed once, alone on the last line.",
  usage: `Flags:
  --role analyst|admin   analyst: start, cancel and retry runs and analyses; admin: also manage the server
  --name NAME            who or what holds it (at most 200 characters)
`,
  options: { role: { type: "string" }, name: { type: "string" } },
  async run(values, _positionals, config) {
    const role = requiredString(values, "role", `give the token's role: ${ROLES.join(" or ")}.`);
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")} (got ${JSON.stringify(role)}).`);
    const name = requiredString(values, "name", "name who or what holds the token, e.g. --name ci.");
    const { row, token } = await withTokens(config, (sql) => issueToken(sql, { name, role }));
    process.stdout.write(
      `Created ${row.role} token ${row.id} (${row.name}). It is shown only now; send it as Authorization: Bearer <token>:\n${token}\n`,
    );
  },
};

export const tokenListCommand: Command = {
  path: ["token", "list"],
  summary: "List API tokens, one per line: id, name, role, created, last used (tab-separated; never the token).",
  usage: "Flags: none.\n",
  options: {},
  async run(_values, _positionals, config) {
    const rows = await withTokens(config, (sql) => listIssuedTokens(sql));
    if (rows.length === 0) process.stderr.write("No tokens yet: create one with `interlace token create`.\n");
    for (const row of rows) {
      const lastUsed = row.lastUsedAt ? row.lastUsedAt.toISOString() : "never";
      process.stdout.write(`${row.id}\t${row.name}\t${row.role}\t${row.createdAt.toISOString()}\t${lastUsed}\n`);
    }
  },
};

export const tokenRevokeCommand: Command = {
  path: ["token", "revoke"],
  summary: "Revoke an API token by its id (from `interlace token list`); requests with it are refused at once.",
  usage: "Usage: interlace token revoke ID\n",
  options: {},
  async run(_values, positionals, config) {
    const [id, ...extra] = positionals;
    if (id === undefined || extra.length > 0)
      throw new UsageError("give exactly one token id: interlace token revoke ID (ids are in `interlace token list`).");
    const row = await withTokens(config, (sql) => revokeToken(sql, id));
    process.stdout.write(`Revoked ${row.role} token ${row.id} (${row.name}).\n`);
  },
};
